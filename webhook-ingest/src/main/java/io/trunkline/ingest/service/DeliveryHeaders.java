package io.trunkline.ingest.service;

import io.trunkline.events.ScmProvider;

/**
 * The headers of a webhook request that matter. Bitbucket Cloud sends {@code X-Request-UUID} and
 * {@code X-Hook-UUID}, Data Center {@code X-Request-Id}; both {@code X-Event-Key} and, where a secret
 * is set, {@code X-Hub-Signature}.
 */
public record DeliveryHeaders(String contentType, String eventKey, String requestUuid, String hookUuid,
        String requestId, String signature) {

    /** Bitbucket's id of the delivery, the same on each of its retries: the header the provider sends, else the other. */
    public String deliveryId(ScmProvider provider) {
        String own = provider == ScmProvider.BITBUCKET_CLOUD ? requestUuid : requestId;
        String other = provider == ScmProvider.BITBUCKET_CLOUD ? requestId : requestUuid;
        return own != null && !own.isBlank() ? own : other;
    }
}
