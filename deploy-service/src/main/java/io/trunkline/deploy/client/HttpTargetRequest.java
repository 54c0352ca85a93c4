package io.trunkline.deploy.client;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call to an {@code http} target, templates expanded and credential resolved.
 * {@link #toString()} leaves out the headers, the body and the token.
 *
 * @param bearerToken sent as {@code Authorization: Bearer ...}; null for a target without auth
 */
public record HttpTargetRequest(String method, URI uri, Map<String, String> headers, String body, String bearerToken) {

    public HttpTargetRequest {
        headers = headers == null ? Map.of() : new LinkedHashMap<>(headers);
    }

    @Override
    public String toString() {
        return "HttpTargetRequest[" + method + " " + uri.getScheme() + "://" + uri.getAuthority()
                + ", " + headers.size() + " headers" + (body == null ? "" : ", body")
                + (bearerToken == null ? "" : ", bearer token") + "]";
    }
}
