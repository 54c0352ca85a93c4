package io.trunkline.deploy.client;

import io.quarkus.oidc.client.OidcClient;
import io.quarkus.oidc.client.OidcClients;
import io.quarkus.oidc.client.Tokens;
import io.trunkline.deploy.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * Access tokens of the OAuth2 client-credentials clients configured on deploy-service with
 * quarkus-oidc-client ({@code quarkus.oidc-client.NAME.*}), for {@code oidc:NAME} credentials. A token
 * is cached per client and replaced {@code trunkline.deploy.oidc-refresh-ahead} before it expires (by
 * its refresh token when the provider gave one, else by a new grant); a token a target refused is
 * replaced at its next use. Tokens are never logged.
 */
@ApplicationScoped
public class OidcTokens {

    private static final Logger LOG = Logger.getLogger(OidcTokens.class);

    private final OidcClients clients;
    private final Duration refreshAhead;
    private final Duration timeout;
    private final Map<String, Tokens> cache = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public OidcTokens(OidcClients clients, DeployConfig config) {
        this.clients = clients;
        this.refreshAhead = config.oidcRefreshAhead();
        this.timeout = config.attemptTimeout();
    }

    /** Whether a client of that name is configured. */
    public boolean configured(String name) {
        return client(name) != null;
    }

    /** The credential {@code oidc:NAME}, taking a token from this cache at each call. */
    public TargetCredential credential(String name) {
        return new OidcCredential(name, this);
    }

    /** @throws CredentialUnavailableException when the client is missing or its token endpoint failed */
    public String accessToken(String name) {
        Tokens tokens = cache.get(name);
        if (tokens != null && fresh(tokens)) {
            return tokens.getAccessToken();
        }
        synchronized (locks.computeIfAbsent(name, key -> new Object())) {
            tokens = cache.get(name);
            if (tokens == null || !fresh(tokens)) {
                tokens = obtain(name, tokens);
                cache.put(name, tokens);
            }
            return tokens.getAccessToken();
        }
    }

    /** The target refused {@code refused}: the next call gets a new token, unless another call replaced it already. */
    public void refused(String name, String refused) {
        cache.computeIfPresent(name, (key, tokens) -> refused.equals(tokens.getAccessToken()) ? null : tokens);
    }

    private boolean fresh(Tokens tokens) {
        Long expiresAt = tokens.getAccessTokenExpiresAt();
        return expiresAt == null || Instant.now().plus(refreshAhead).isBefore(Instant.ofEpochSecond(expiresAt));
    }

    private Tokens obtain(String name, Tokens previous) {
        OidcClient client = client(name);
        if (client == null) {
            throw new CredentialUnavailableException(notConfigured(name));
        }
        try {
            boolean refresh = previous != null && previous.getRefreshToken() != null && !previous.isRefreshTokenExpired();
            Tokens tokens = (refresh ? client.refreshTokens(previous.getRefreshToken()) : client.getTokens())
                    .await().atMost(timeout);
            if (tokens == null || tokens.getAccessToken() == null || tokens.getAccessToken().isBlank()) {
                throw new CredentialUnavailableException("the token endpoint of credential oidc:" + name
                        + " answered without an access token");
            }
            LOG.debugf("New access token for credential oidc:%s, expiring at %s", name, tokens.getAccessTokenExpiresAt());
            return tokens;
        } catch (CredentialUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // the provider's answer may hold anything: only its kind is told
            LOG.warnf("No access token for credential oidc:%s from its token endpoint (%s)", name,
                    e.getClass().getSimpleName());
            throw new CredentialUnavailableException("no access token for credential oidc:" + name
                    + " from its token endpoint");
        }
    }

    private OidcClient client(String name) {
        try {
            return clients.getClient(name);
        } catch (RuntimeException e) {
            return null;
        }
    }

    static String notConfigured(String name) {
        return "credential oidc:" + name + " names no OIDC client configured on deploy-service (quarkus.oidc-client."
                + name + ".*)";
    }

    /** {@code oidc:NAME}: a token from the cache at each call, replaced when the target refuses it. */
    private record OidcCredential(String name, OidcTokens tokens) implements TargetCredential {

        @Override
        public String reference() {
            return "oidc:" + name;
        }

        @Override
        public String secret() {
            return tokens.accessToken(name);
        }

        @Override
        public boolean renew(String refused) {
            tokens.refused(name, refused);
            return true;
        }

        @Override
        public String toString() {
            return "credential " + reference();
        }
    }
}
