package io.trunkline.status.client;

import io.trunkline.status.config.StatusReporterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Adds {@code Authorization: Bearer <token>} to every Bitbucket request: {@code TRUNKLINE_BITBUCKET_TOKEN}
 * where set, else an OAuth consumer's access token ({@link BitbucketOAuth}). Tokens are never logged.
 */
@ApplicationScoped
public class BitbucketCredentials implements ClientHeadersFactory {

    private final StatusReporterConfig config;
    private final BitbucketOAuth oauth;

    public BitbucketCredentials(StatusReporterConfig config, BitbucketOAuth oauth) {
        this.config = config;
        this.oauth = oauth;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        config.bitbucket().token().filter(token -> !token.isBlank()).or(oauth::accessToken)
                .ifPresent(token -> headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        return headers;
    }

    @Override
    public String toString() {
        return "BitbucketCredentials[token hidden]";
    }
}
