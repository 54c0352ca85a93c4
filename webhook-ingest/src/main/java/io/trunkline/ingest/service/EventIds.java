package io.trunkline.ingest.service;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Event ids derived from what changed, not from the delivery: Bitbucket's retry of a delivery and
 * a second hook reporting the same change both produce the same id, which every consumer dedupes.
 */
public final class EventIds {

    private EventIds() {
    }

    public static UUID of(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
    }
}
