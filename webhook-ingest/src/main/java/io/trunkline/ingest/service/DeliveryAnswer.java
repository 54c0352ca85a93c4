package io.trunkline.ingest.service;

import java.util.List;
import java.util.UUID;

/** How a delivery is answered when it is not refused. */
public sealed interface DeliveryAnswer {

    /**
     * 202: the delivery's events are in Kafka. {@code eventIds} are the events published (one per new
     * ref change, or the pull-request change), or, for a {@code duplicate}, the event that answered
     * it before, and nothing was published.
     */
    record Accepted(List<UUID> eventIds, boolean duplicate) implements DeliveryAnswer {

        public Accepted {
            eventIds = List.copyOf(eventIds);
        }

        static Accepted published(List<UUID> eventIds) {
            return new Accepted(eventIds, false);
        }

        static Accepted duplicateOf(UUID earlierEventId) {
            return new Accepted(List.of(earlierEventId), true);
        }

        /** The delivery's first event: the one a duplicate of it is answered with. */
        public UUID eventId() {
            return eventIds.get(0);
        }
    }

    /** 200: a well-formed delivery that needs no action, and why. */
    record Ignored(String reason) implements DeliveryAnswer {
    }
}
