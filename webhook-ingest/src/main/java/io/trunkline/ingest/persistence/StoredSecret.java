package io.trunkline.ingest.persistence;

import io.trunkline.events.SealedSecret;
import java.time.Instant;
import java.util.UUID;

/**
 * A repository's own webhook secret as kept in {@code repository_secret}: sealed, as it came on the
 * topic, with the exact {@code occurredAt} it was sealed for. {@code sealed} is null where the last
 * record of the repository could not be read.
 */
public record StoredSecret(String workspace, String slug, UUID eventId, String occurredAt, SealedSecret sealed) {

    public static StoredSecret unreadable(String workspace, String slug) {
        return new StoredSecret(workspace, slug, null, null, null);
    }

    public boolean readable() {
        return sealed != null && occurredAt != null;
    }

    public Instant occurredAtInstant() {
        return Instant.parse(occurredAt);
    }
}
