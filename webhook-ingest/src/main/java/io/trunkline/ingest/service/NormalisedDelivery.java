package io.trunkline.ingest.service;

import io.trunkline.events.TrunklineEvent;
import java.util.List;
import java.util.Optional;

/**
 * What a delivery means: the events to publish (one per changed ref, or one pull-request change),
 * or why none is needed. {@code deliveryId} is empty when the delivery came without one.
 */
public record NormalisedDelivery(Optional<DeliveryId> deliveryId, List<TrunklineEvent> events, String ignoredBecause) {

    public NormalisedDelivery {
        events = List.copyOf(events);
    }

    public static NormalisedDelivery of(Optional<DeliveryId> deliveryId, List<? extends TrunklineEvent> events) {
        return new NormalisedDelivery(deliveryId, List.copyOf(events), null);
    }

    public static NormalisedDelivery ignored(String reason) {
        return new NormalisedDelivery(Optional.empty(), List.of(), reason);
    }

    public boolean needsAction() {
        return !events.isEmpty();
    }
}
