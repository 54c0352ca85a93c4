package io.trunkline.status.client;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;

/** Adds {@code Authorization: Bearer <token>} to every Bitbucket request. */
final class BearerTokenFilter implements ClientRequestFilter {

    private final String token;

    BearerTokenFilter(String token) {
        this.token = token;
    }

    @Override
    public void filter(ClientRequestContext request) {
        request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token);
    }

    @Override
    public String toString() {
        return "BearerTokenFilter[token hidden]";
    }
}
