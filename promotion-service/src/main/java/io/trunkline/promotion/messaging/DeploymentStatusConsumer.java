package io.trunkline.promotion.messaging;

import io.smallrye.common.annotation.Blocking;
import io.trunkline.commons.messaging.IncomingEvents;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.promotion.service.Promotions;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class DeploymentStatusConsumer {

    private final Promotions promotions;

    public DeploymentStatusConsumer(Promotions promotions) {
        this.promotions = promotions;
    }

    @Incoming("deployment-status")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        IncomingEvents.read(record).ifPresent(event -> {
            if (event instanceof DeploymentStateChanged changed) {
                promotions.onStateChanged(changed);
            }
        });
    }
}
