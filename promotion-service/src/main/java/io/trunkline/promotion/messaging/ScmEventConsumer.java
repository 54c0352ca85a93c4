package io.trunkline.promotion.messaging;

import io.smallrye.common.annotation.Blocking;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.RefsPushed;
import io.trunkline.promotion.service.Promotions;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code trunkline.scm-events}: pushes are planned into deployments. */
@ApplicationScoped
public class ScmEventConsumer {

    static final String CONSUMER = "promotion-service/scm-events";

    private final EventProcessing processing;
    private final Promotions promotions;

    public ScmEventConsumer(EventProcessing processing, Promotions promotions) {
        this.processing = processing;
        this.promotions = promotions;
    }

    @Incoming("scm-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        processing.process(CONSUMER, record, event -> {
            if (event instanceof RefsPushed push) {
                promotions.onPush(push);
            }
        });
    }
}
