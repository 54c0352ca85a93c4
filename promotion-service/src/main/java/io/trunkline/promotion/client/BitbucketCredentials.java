package io.trunkline.promotion.client;

import io.trunkline.promotion.config.PromotionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/** Adds {@code Authorization: Bearer <TRUNKLINE_BITBUCKET_TOKEN>} to every Bitbucket request; the token is never logged. */
@ApplicationScoped
public class BitbucketCredentials implements ClientHeadersFactory {

    private final PromotionConfig config;

    public BitbucketCredentials(PromotionConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        config.bitbucket().token().filter(token -> !token.isBlank())
                .ifPresent(token -> headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        return headers;
    }

    @Override
    public String toString() {
        return "BitbucketCredentials[token hidden]";
    }
}
