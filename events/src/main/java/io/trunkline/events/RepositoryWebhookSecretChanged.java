package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A repository's own webhook secret was set, changed or removed through promotion-service's
 * configuration API (a removed configuration removes its secret). Travels on
 * {@link Topics#REPOSITORY_SECRETS}, a compacted topic keyed by {@code workspace/slug}, so that the
 * topic always holds each repository's latest secret; webhook-ingest reads it from the beginning.
 * {@code webhookSecret} is sealed with {@link SecretSealing#seal} for this workspace, slug and
 * {@code occurredAt}; it seals the empty text when the repository has no secret of its own (any
 * more): the global secret applies to it again. Never a record without value: a removal must be as
 * authentic as a change.
 */
public record RepositoryWebhookSecretChanged(
        UUID eventId,
        Instant occurredAt,
        String workspace,
        String slug,
        SealedSecret webhookSecret) implements TrunklineEvent {

    public static final String TYPE = "io.trunkline.repository.webhook-secret-changed";

    @Override
    public String eventType() {
        return TYPE;
    }

    /** {@code workspace/slug}, as the configuration API keys a repository (whatever its provider). */
    @Override
    public String partitionKey() {
        return workspace + "/" + slug;
    }

    @Override
    public String subject() {
        return partitionKey();
    }
}
