package io.trunkline.ingest.service;

/** A webhook request as it arrived: the headers that matter and the raw body. */
public record WebhookRequest(String eventKey, String requestUuid, String requestId, String signature, byte[] body) {

    /** Bitbucket's id of the delivery: {@code X-Request-UUID} (Cloud), else {@code X-Request-Id} (Data Center). */
    public String deliveryId() {
        return requestUuid != null && !requestUuid.isBlank() ? requestUuid : requestId;
    }
}
