package io.trunkline.promotion.service;

/** A webhook secret is to be stored or read, and promotion-service has no {@code TRUNKLINE_SECRETS_KEY}. */
public class SecretsKeyMissingException extends RuntimeException {

    public SecretsKeyMissingException() {
        super("promotion-service has no TRUNKLINE_SECRETS_KEY: it can neither keep a repository's webhook secret "
                + "sealed nor hand it to webhook-ingest. Give promotion-service and webhook-ingest the same key.");
    }
}
