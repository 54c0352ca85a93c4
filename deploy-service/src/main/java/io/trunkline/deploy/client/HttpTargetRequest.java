package io.trunkline.deploy.client;

import io.trunkline.events.TargetSpec.SuccessCondition;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to an {@code http} target, templates expanded and credential resolved.
 * {@link #toString()} leaves out the headers, the body and the token.
 *
 * @param credential sent as {@code Authorization: Bearer <secret>}, taken at each call; null for a target without auth
 * @param idempotencyKey sent as {@code Idempotency-Key} unless the target sets that header itself; null for none
 * @param success the target's own success condition on its JSON answer; null for "any 2xx"
 */
public record HttpTargetRequest(String method, URI uri, Map<String, String> headers, String body, TargetCredential credential,
        String idempotencyKey, SuccessCondition success) {

    public HttpTargetRequest {
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
    }

    @Override
    public String toString() {
        return "HttpTargetRequest[" + method + " " + uri.getScheme() + "://" + uri.getAuthority()
                + ", " + headers.size() + " headers" + (body == null ? "" : ", body")
                + (credential == null ? "" : ", " + credential) + "]";
    }
}
