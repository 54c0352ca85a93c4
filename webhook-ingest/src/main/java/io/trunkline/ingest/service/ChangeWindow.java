package io.trunkline.ingest.service;

import io.trunkline.events.RefChange;
import io.trunkline.ingest.persistence.LastRefChange;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * When a ref change repeats one already accepted. A change equal to its ref's latest change (same
 * old and same new commit) within the window is the same push reported again, e.g. by a second
 * webhook of the repository. Anything else is a real change, also when it brings the ref back to
 * where it was before: tag {@code release-1} created, deleted and created again on one commit, or a
 * branch moved X→Y→X→Y, differs each time from the ref's latest change. Pure.
 */
public final class ChangeWindow {

    private final Duration window;
    private final Duration inFlightFor;

    /**
     * @param window      how long an accepted change is remembered
     * @param inFlightFor how long an unpublished claim counts as a publish still in progress; after that its
     *                    delivery is treated as done (it either published or is answered with an error and retried)
     */
    public ChangeWindow(Duration window, Duration inFlightFor) {
        this.window = window;
        this.inFlightFor = inFlightFor;
    }

    /**
     * @param last    the ref's latest claimed change, if any within memory
     * @param change  the change a delivery reports
     * @param eventId the event id of that delivery
     */
    public Verdict judge(Optional<LastRefChange> last, RefChange change, UUID eventId, Instant now) {
        if (last.isEmpty()) {
            return Verdict.NEW;
        }
        LastRefChange previous = last.get();
        if (!Objects.equals(previous.oldCommit(), change.oldCommit())
                || !Objects.equals(previous.newCommit(), change.newCommit())) {
            return Verdict.NEW;
        }
        if (previous.eventId().equals(eventId)) {
            return Verdict.NEW; // this delivery's own earlier attempt: publish again, under the same event id
        }
        if (now.isAfter(previous.claimedAt().plus(window))) {
            return Verdict.NEW;
        }
        if (!previous.published() && now.isBefore(previous.claimedAt().plus(inFlightFor))) {
            return Verdict.inFlight(previous.eventId());
        }
        return Verdict.duplicateOf(previous.eventId());
    }

    public enum Kind { NEW, DUPLICATE, IN_FLIGHT }

    /** {@code earlierEventId}: the event of the delivery that claimed the same change first. */
    public record Verdict(Kind kind, UUID earlierEventId) {

        public static final Verdict NEW = new Verdict(Kind.NEW, null);

        static Verdict duplicateOf(UUID earlierEventId) {
            return new Verdict(Kind.DUPLICATE, earlierEventId);
        }

        static Verdict inFlight(UUID earlierEventId) {
            return new Verdict(Kind.IN_FLIGHT, earlierEventId);
        }
    }
}
