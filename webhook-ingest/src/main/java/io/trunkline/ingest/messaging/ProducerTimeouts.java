package io.trunkline.ingest.messaging;

import io.quarkus.runtime.StartupEvent;
import io.trunkline.commons.messaging.EventSender;
import io.trunkline.ingest.config.WebhookConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.Config;

/**
 * Refuses to start when the producer could still write a record after its delivery was answered 503.
 * A send may wait {@code max.block.ms} for metadata, then {@code delivery.timeout.ms} runs; SmallRye's
 * connector re-sends a record whose send failed early until {@code delivery.timeout.ms} after the first
 * attempt, and the re-sent record gets a delivery timeout of its own. So the producer has given up for
 * good after {@code max.block.ms + 2 x delivery.timeout.ms}, which must be below
 * {@code trunkline.webhook.publish-timeout}. Kafka itself requires
 * {@code request.timeout.ms + linger.ms <= delivery.timeout.ms}.
 */
@ApplicationScoped
public class ProducerTimeouts {

    static final String PREFIX = "mp.messaging.outgoing." + EventSender.CHANNEL + ".";

    private final WebhookConfig webhookConfig;
    private final Config config;

    public ProducerTimeouts(WebhookConfig webhookConfig, Config config) {
        this.webhookConfig = webhookConfig;
        this.config = config;
    }

    void checkOnStart(@Observes StartupEvent event) {
        check(webhookConfig.publishTimeout(), millis("max.block.ms", 60_000), millis("delivery.timeout.ms", 120_000),
                millis("request.timeout.ms", 30_000), millis("linger.ms", 5));
    }

    /** The Kafka defaults apply where a setting is absent. */
    private Duration millis(String property, long kafkaDefault) {
        return Duration.ofMillis(config.getOptionalValue(PREFIX + property, Long.class).orElse(kafkaDefault));
    }

    static void check(Duration publishTimeout, Duration maxBlock, Duration deliveryTimeout, Duration requestTimeout,
            Duration linger) {
        if (maxBlock.plus(deliveryTimeout.multipliedBy(2)).compareTo(publishTimeout) >= 0) {
            throw new IllegalStateException("The Kafka producer may still write an event after its delivery was "
                    + "answered 503: " + PREFIX + "max.block.ms (" + maxBlock.toMillis() + ") + 2 x delivery.timeout.ms ("
                    + deliveryTimeout.toMillis() + ") must be below trunkline.webhook.publish-timeout ("
                    + publishTimeout.toMillis() + " ms)");
        }
        if (requestTimeout.plus(linger).compareTo(deliveryTimeout) > 0) {
            throw new IllegalStateException(PREFIX + "request.timeout.ms (" + requestTimeout.toMillis()
                    + ") + linger.ms (" + linger.toMillis() + ") must not exceed delivery.timeout.ms ("
                    + deliveryTimeout.toMillis() + ")");
        }
    }
}
