package io.trunkline.ingest.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.trunkline.commons.messaging.EventSender;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.EventNotStoredException;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Publishes a delivery's SCM events to {@code trunkline.scm-events}, all at once, and waits for the
 * broker's acknowledgement of every one ({@code acks=all}), at most {@code trunkline.webhook.publish-timeout}.
 * The producer gives up on a record before that ({@link ProducerTimeouts}), so a failure here means
 * a record was not written, except when the broker wrote it and its answer was lost: the retried
 * delivery then carries the same event ids, which consumers drop. How long it waited is the
 * {@code trunkline.webhook.publish} timer (histogram), by result.
 */
@ApplicationScoped
public class ScmEventPublisher {

    static final String TIMER = "trunkline.webhook.publish";

    private final EventSender sender;
    private final WebhookConfig config;
    private final Timer acknowledged;
    private final Timer failed;

    public ScmEventPublisher(EventSender sender, WebhookConfig config, MeterRegistry meters) {
        this.sender = sender;
        this.config = config;
        this.acknowledged = timer(meters, "acknowledged");
        this.failed = timer(meters, "failed");
    }

    private static Timer timer(MeterRegistry meters, String result) {
        return Timer.builder(TIMER)
                .description("Time from sending a delivery's events to the broker's acknowledgement of all of them")
                .tag("result", result)
                .publishPercentileHistogram()
                .register(meters);
    }

    /**
     * @throws EventNotStoredException a send failed, timed out, or the emitter's buffer was full
     */
    public void publish(List<TrunklineEvent> events) {
        long start = System.nanoTime();
        try {
            List<Uni<Void>> sends = events.stream().map(event -> sender.send(Topics.SCM_EVENTS, event)).toList();
            Uni.join().all(sends).andFailFast().await().atMost(config.publishTimeout());
            acknowledged.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (RuntimeException e) {
            failed.record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            throw new EventNotStoredException(EventNotStoredException.Reason.BROKER, e);
        }
    }
}
