package io.trunkline.promotion.service;

import io.trunkline.events.RepositoryRef;

/**
 * A repository is given a webhook secret other than the one the same {@code workspace/slug} of the other
 * provider has: webhook-ingest chooses the secret by name only, so one name has one secret.
 */
public class WebhookSecretConflictException extends RuntimeException {

    public WebhookSecretConflictException(RepositoryRef repository, String otherProvider) {
        super(repository.fullName() + " on " + otherProvider + " has another webhook secret, and webhook-ingest "
                + "knows one secret per workspace/slug whatever the provider: give both the same secret.");
    }
}
