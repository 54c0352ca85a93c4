package io.trunkline.ingest.service;

import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.persistence.LastRefChange;
import io.trunkline.ingest.persistence.RefKey;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a delivery brings that was not accepted before. Either events to publish, holding only the
 * new changes, and the refs claimed for them (with what they held before, to withdraw the claim if
 * the publish fails); or, when the delivery was answered before or every change repeats an accepted
 * one, the earlier event's id.
 */
public record Claim(List<TrunklineEvent> events, List<ClaimedRef> refs, UUID earlierEventId, boolean sameDelivery) {

    public static Claim toPublish(List<TrunklineEvent> events, List<ClaimedRef> refs) {
        return new Claim(List.copyOf(events), List.copyOf(refs), null, false);
    }

    /** Every change of the delivery repeats one accepted as {@code earlierEventId}. */
    public static Claim duplicateOf(UUID earlierEventId) {
        return new Claim(List.of(), List.of(), earlierEventId, false);
    }

    /** The delivery itself, by its delivery id, was answered with {@code earlierEventId}. */
    public static Claim answeredBefore(UUID earlierEventId) {
        return new Claim(List.of(), List.of(), earlierEventId, true);
    }

    public boolean duplicate() {
        return events.isEmpty();
    }

    /** A ref claimed by the event {@code eventId} of this delivery; {@code previous} is its latest change before the claim. */
    public record ClaimedRef(RefKey ref, UUID eventId, Optional<LastRefChange> previous) {
    }
}
