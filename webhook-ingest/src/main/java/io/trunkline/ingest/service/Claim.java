package io.trunkline.ingest.service;

import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.persistence.LastRefChange;
import io.trunkline.ingest.persistence.RefKey;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What a delivery brings that was not accepted before. Either an event to publish, holding only the
 * new changes, and the refs claimed for it (with what they held before, to withdraw the claim if
 * the publish fails); or, when every change repeats an accepted one, the earlier event's id.
 */
public record Claim(TrunklineEvent event, List<ClaimedRef> refs, UUID earlierEventId) {

    public static Claim toPublish(TrunklineEvent event, List<ClaimedRef> refs) {
        return new Claim(event, List.copyOf(refs), null);
    }

    public static Claim duplicateOf(UUID earlierEventId) {
        return new Claim(null, List.of(), earlierEventId);
    }

    public boolean duplicate() {
        return event == null;
    }

    /** A ref claimed by this delivery; {@code previous} is its latest change before the claim. */
    public record ClaimedRef(RefKey ref, Optional<LastRefChange> previous) {
    }
}
