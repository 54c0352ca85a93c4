package io.trunkline.ingest.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * The latest change claimed for a ref: by the delivery whose event is {@code eventId}, at
 * {@code claimedAt}; {@code published} once the broker acknowledged that event. A commit is null
 * where the change created ({@code oldCommit}) or deleted ({@code newCommit}) the ref.
 */
public record LastRefChange(String oldCommit, String newCommit, UUID eventId, Instant claimedAt,
        boolean published) {

    public static LastRefChange claimed(String oldCommit, String newCommit, UUID eventId, Instant claimedAt) {
        return new LastRefChange(oldCommit, newCommit, eventId, claimedAt, false);
    }
}
