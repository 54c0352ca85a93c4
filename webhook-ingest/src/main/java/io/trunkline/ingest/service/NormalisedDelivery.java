package io.trunkline.ingest.service;

import io.trunkline.events.TrunklineEvent;
import java.util.Optional;

/**
 * What a delivery means: an event to publish, or why none is needed. {@code deliveryId} is empty
 * when the delivery came without one.
 */
public record NormalisedDelivery(Optional<DeliveryId> deliveryId, TrunklineEvent event, String ignoredBecause) {

    public static NormalisedDelivery of(Optional<DeliveryId> deliveryId, TrunklineEvent event) {
        return new NormalisedDelivery(deliveryId, event, null);
    }

    public static NormalisedDelivery ignored(String reason) {
        return new NormalisedDelivery(Optional.empty(), null, reason);
    }

    public Optional<TrunklineEvent> eventToPublish() {
        return Optional.ofNullable(event);
    }
}
