package io.trunkline.deploy.messaging;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Short timeouts, retry budget, leases and recovery, WireMock's loopback address allowed, and the
 * target token the {@code env:DEPLOY_TEST_TOKEN} references resolve to. Every {@code @QuarkusTest}
 * of this module uses it, with the same test resources, so the application boots once.
 */
public class DeployTestProfile implements QuarkusTestProfile {

    /** The value of {@code env:DEPLOY_TEST_TOKEN}; it must never leave the Authorization header. */
    public static final String TOKEN = "dt-7Hq2vN9xLp4Rz8Wm";

    /** Longer than {@link #LEASE_TTL}, so that a call can outlast a lease its worker does not renew. */
    static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(4);
    /** Longer than one attempt timeout, so that an idempotent target that timed out is called again. */
    static final Duration RETRY_FOR = Duration.ofSeconds(6);
    static final Duration LEASE_TTL = Duration.ofMillis(1500);

    /** OAuth2 client-credentials clients, one per test so that cached tokens never cross tests. */
    static final String CACHING_IDP = "caching-idp";
    static final String ROTATING_IDP = "rotating-idp";
    static final String IDP_CLIENT_SECRET = "idp-secret-3Fq9Zr";

    /** The properties the WireMock server's base URL goes to. */
    static final String WIREMOCK_URL_PROPERTIES = "quarkus.oidc-client.caching-idp.auth-server-url,"
            + "quarkus.oidc-client.rotating-idp.auth-server-url,quarkus.rest-client.bitbucket.url,"
            + "quarkus.rest-client.pulumi.url";

    /** The Bitbucket and Pulumi access tokens of the profile; they must never leave the Authorization header. */
    public static final String BITBUCKET_TOKEN = "bb-ATCTT3xFfGN0aQ7x";
    public static final String PULUMI_TOKEN = "pul-5f1c9e0b2d7a4e68";

    /** The secrets directory of the profile: the only place {@code file:} references of verify checks may name. */
    static final Path SECRETS_DIR = secretsDirectory();

    /**
     * newman as {@code .ci/run} and {@code bin/trunkline} install it ({@code deploy-service/newman}, {@code npm ci}),
     * else the one on {@code PATH}.
     */
    static final String NEWMAN = Files.isExecutable(Path.of("newman/node_modules/.bin/newman"))
            ? Path.of("newman/node_modules/.bin/newman").toAbsolutePath().toString() : "newman";

    private static Path secretsDirectory() {
        try {
            // the same path wherever the profile is loaded (the test's class loader and the application's)
            return Files.createDirectories(Path.of("target", "verify-secrets")).toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How often runs are polled in tests. */
    static final Duration FOLLOW_INTERVAL = Duration.ofMillis(200);

    /** Where the token endpoint of an OIDC client of this profile is on the WireMock server. */
    static String tokenPath(String client) {
        return "/oidc/" + client + "/token";
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(Map.ofEntries(
                Map.entry("DEPLOY_TEST_TOKEN", TOKEN),
                Map.entry("TRUNKLINE_BITBUCKET_TOKEN", BITBUCKET_TOKEN),
                Map.entry("TRUNKLINE_PULUMI_ACCESS_TOKEN", PULUMI_TOKEN),
                Map.entry("trunkline.deploy.follow.interval", FOLLOW_INTERVAL.toMillis() + "ms"),
                Map.entry("trunkline.deploy.bitbucket.web-url", "https://bitbucket.example"),
                Map.entry("trunkline.target.allowed-hosts", "127.0.0.1"),
                Map.entry("trunkline.credentials.file-dir", SECRETS_DIR.toString()),
                Map.entry("trunkline.credentials.env-prefix", "DEPLOY_"),
                Map.entry("trunkline.verify.newman-command", NEWMAN),
                Map.entry("trunkline.deploy.attempt-timeout", ATTEMPT_TIMEOUT.toMillis() + "ms"),
                Map.entry("trunkline.deploy.retry-for", RETRY_FOR.toMillis() + "ms"),
                Map.entry("trunkline.deploy.initial-backoff", "50ms"),
                Map.entry("trunkline.deploy.max-backoff", "200ms"),
                Map.entry("trunkline.deploy.lease-ttl", LEASE_TTL.toMillis() + "ms"),
                Map.entry("trunkline.deploy.lease-renew-interval", "300ms"),
                Map.entry("trunkline.deploy.recovery-interval", "300ms"),
                // every test calls the same WireMock host: its breaker must not open on the failures some provoke
                Map.entry("trunkline.deploy.circuit-breaker.request-volume-threshold", "100000"),
                // outcome recording waits out a database outage no longer than this after it ends
                Map.entry("trunkline.consumer.max-backoff", "500ms")));
        for (String client : List.of(CACHING_IDP, ROTATING_IDP)) {
            String prefix = "quarkus.oidc-client." + client + ".";
            config.put(prefix + "discovery-enabled", "false");
            config.put(prefix + "token-path", tokenPath(client));
            config.put(prefix + "client-id", "deploy-service");
            config.put(prefix + "credentials.secret", IDP_CLIENT_SECRET);
        }
        return config;
    }
}
