package io.trunkline.ingest.service;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * Event ids derived from the delivery: every retry of one Bitbucket delivery gets the same id, so
 * that whatever is published again after an uncertain outcome (an acknowledgement lost on the way)
 * is dropped by each consumer, which dedupes by event id. A delivery without id gets a random one.
 */
public final class EventIds {

    private EventIds() {
    }

    public static UUID of(Optional<DeliveryId> delivery) {
        return delivery.map(EventIds::of).orElseGet(UUID::randomUUID);
    }

    public static UUID of(DeliveryId delivery) {
        String name = "trunkline-delivery\u0000" + delivery.provider().id() + "\u0000" + delivery.value();
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
