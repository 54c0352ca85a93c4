package io.trunkline.ingest.service;

import io.trunkline.events.RefType;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/**
 * Event ids derived from the delivery: every retry of one Bitbucket delivery gets the same ids, so
 * that whatever is published again after an uncertain outcome (an acknowledgement lost on the way)
 * is dropped by each consumer, which dedupes by event id. A push publishes one event per ref, whose
 * id also names the ref; a pull-request change one event, with the delivery's id. A delivery
 * without id gets random ones.
 */
public final class EventIds {

    private EventIds() {
    }

    public static UUID of(Optional<DeliveryId> delivery) {
        return delivery.map(EventIds::of).orElseGet(UUID::randomUUID);
    }

    public static UUID of(DeliveryId delivery) {
        return nameBased("trunkline-delivery\u0000" + delivery.provider().id() + "\u0000" + delivery.value());
    }

    /** The event of one ref's change in a push. */
    public static UUID of(Optional<DeliveryId> delivery, RefType refType, String refName) {
        return delivery.map(id -> of(id, refType, refName)).orElseGet(UUID::randomUUID);
    }

    public static UUID of(DeliveryId delivery, RefType refType, String refName) {
        return nameBased("trunkline-delivery\u0000" + delivery.provider().id() + "\u0000" + delivery.value()
                + "\u0000" + refType.name() + "\u0000" + refName);
    }

    private static UUID nameBased(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
