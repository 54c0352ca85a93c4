package io.trunkline.ingest.service;

import io.trunkline.events.ScmProvider;
import java.time.Instant;
import java.util.Optional;

/** What one Bitbucket product's deliveries mean. Implementations are pure: no I/O. */
public interface ProviderNormaliser {

    ScmProvider provider();

    /** Whether this provider sends {@code eventKey} and we act on it (or answer it, like a ping). */
    boolean knows(String eventKey);

    /**
     * The repository ({@code workspace/slug}, for Data Center {@code projectKey/slug}) that a delivery
     * of {@code eventKey} names, read from its still unverified body and from nothing else: it chooses
     * the secret that checks the signature. Empty when the body names none.
     */
    Optional<String> repositoryName(String eventKey, UnverifiedBody body);

    /**
     * What a verified delivery means: one event per changed ref or pull-request change, or why none
     * is needed.
     *
     * @throws InvalidPayloadException the body is not a well-formed payload of its event key
     */
    NormalisedDelivery normalise(WebhookDelivery delivery, Instant receivedAt);
}
