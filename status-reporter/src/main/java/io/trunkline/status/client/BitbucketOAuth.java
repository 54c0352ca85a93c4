package io.trunkline.status.client;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClientConfigBuilder;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.quarkus.oidc.client.runtime.OidcClientConfig;
import io.trunkline.status.config.StatusReporterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;

/**
 * Access tokens of a Bitbucket OAuth consumer (client-credentials grant through quarkus-oidc-client),
 * obtained on first use, kept until shortly before they expire, then obtained again. Only used where no
 * {@code TRUNKLINE_BITBUCKET_TOKEN} is set. Tokens and the secret are never logged.
 */
@ApplicationScoped
public class BitbucketOAuth {

    private static final Duration TOKEN_TIMEOUT = Duration.ofSeconds(10);

    private final OidcClients clients;
    private final StatusReporterConfig.OAuth config;
    private OidcClient client;
    private Tokens tokens;

    public BitbucketOAuth(OidcClients clients, StatusReporterConfig config) {
        this.clients = clients;
        this.config = config.bitbucket().oauth();
    }

    /** Whether an OAuth consumer is configured. */
    public boolean configured() {
        return config.clientId().filter(id -> !id.isBlank()).isPresent()
                && config.clientSecret().filter(secret -> !secret.isBlank()).isPresent();
    }

    /** A valid access token; empty without an OAuth consumer. */
    public synchronized Optional<String> accessToken() {
        if (!configured()) {
            return Optional.empty();
        }
        if (tokens == null || tokens.isAccessTokenExpired()) {
            tokens = client().getTokens().await().atMost(TOKEN_TIMEOUT);
        }
        return Optional.of(tokens.getAccessToken());
    }

    /** Forgets the current token (Bitbucket refused it): the next call obtains a new one. */
    public synchronized void invalidate() {
        tokens = null;
    }

    private OidcClient client() {
        if (client == null) {
            OidcClientConfig clientConfig = new OidcClientConfigBuilder()
                    .id("bitbucket")
                    .tokenPath(config.tokenUrl())
                    .clientId(config.clientId().orElseThrow())
                    .credentials(config.clientSecret().orElseThrow())
                    .grant(OidcClientConfig.Grant.Type.CLIENT)
                    .accessTokenExpirySkew(Duration.ofSeconds(30))
                    .build();
            client = clients.newClient(clientConfig).await().atMost(TOKEN_TIMEOUT);
        }
        return client;
    }
}
