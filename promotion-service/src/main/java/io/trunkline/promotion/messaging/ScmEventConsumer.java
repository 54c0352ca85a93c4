package io.trunkline.promotion.messaging;

import io.smallrye.common.annotation.Blocking;
import io.trunkline.commons.messaging.IncomingEvents;
import io.trunkline.events.RefsPushed;
import io.trunkline.promotion.service.Promotions;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class ScmEventConsumer {

    private final Promotions promotions;

    public ScmEventConsumer(Promotions promotions) {
        this.promotions = promotions;
    }

    @Incoming("scm-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        IncomingEvents.read(record).ifPresent(event -> {
            if (event instanceof RefsPushed push) {
                promotions.onPush(push);
            }
        });
    }
}
