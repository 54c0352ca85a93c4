package io.trunkline.ingest.fuzz;

import io.trunkline.ingest.service.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One random webhook request. {@code signature} is what the request sends as {@code X-Hub-Signature}
 * (null for none); whether it verifies is decided here, independently of the service, from the
 * rule: {@code sha256=} and the hex HMAC-SHA256 of the body with the secret, in any case.
 */
record FuzzRequest(String description, byte[] body, String eventKey, String contentType, String signature,
        String deliveryHeader, String deliveryId) {

    boolean verifies(String secret) {
        if (signature == null || !signature.startsWith("sha256=")) {
            return false;
        }
        String expected = WebhookSignature.sign(secret, body).substring("sha256=".length());
        return signature.substring("sha256=".length()).trim().toLowerCase(Locale.ROOT).equals(expected);
    }

    @Override
    public String toString() {
        String preview = new String(body, 0, Math.min(body.length, 120), StandardCharsets.UTF_8);
        return description + " [" + body.length + " bytes: " + preview + "], X-Event-Key=" + eventKey
                + ", Content-Type=" + contentType + ", X-Hub-Signature=" + signature + ", " + deliveryHeader + "="
                + deliveryId;
    }
}
