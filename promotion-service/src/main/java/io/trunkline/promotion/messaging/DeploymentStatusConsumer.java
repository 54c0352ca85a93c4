package io.trunkline.promotion.messaging;

import io.smallrye.common.annotation.Blocking;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.promotion.service.Promotions;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Consumes {@code trunkline.deployment-status}: deploy-service's run states move deployments on. */
@ApplicationScoped
public class DeploymentStatusConsumer {

    static final String CONSUMER = "promotion-service/deployment-status";

    private final EventProcessing processing;
    private final Promotions promotions;

    public DeploymentStatusConsumer(EventProcessing processing, Promotions promotions) {
        this.processing = processing;
        this.promotions = promotions;
    }

    @Incoming("deployment-status")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        processing.process(CONSUMER, record, event -> {
            if (event instanceof DeploymentStateChanged changed) {
                promotions.onStateChanged(changed);
            }
        });
    }
}
