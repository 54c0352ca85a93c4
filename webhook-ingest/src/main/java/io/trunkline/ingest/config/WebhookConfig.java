package io.trunkline.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "trunkline.webhook")
public interface WebhookConfig {

    /** The global webhook secret (HMAC-SHA256 of the body in X-Hub-Signature). */
    Optional<String> secret();

    /** Accept deliveries without a signature when no secret is configured. Never the default. */
    @WithDefault("false")
    boolean allowUnsigned();

    /** Larger bodies are refused with 413. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * How long a delivery waits for the broker's acknowledgement before it is answered 503. Must exceed the
     * producer's max.block.ms + delivery.timeout.ms, so that the producer gives up first (checked at start).
     */
    @WithDefault("5s")
    Duration publishTimeout();

    /**
     * How long a change equal to its ref's last accepted change (same old and new commit) counts as a repeat
     * of it, e.g. the same push reported by a second webhook of the repository.
     */
    @WithDefault("10m")
    Duration dedupeWindow();

    /**
     * The key that seals repositories' own webhook secrets on {@code trunkline.repository-secrets}: 32 random
     * bytes, base64, the same as promotion-service's ({@code TRUNKLINE_SECRETS_KEY}). Without it, deliveries
     * of a repository that has a secret of its own are answered 503.
     */
    Optional<String> secretsKey();

    /** Earlier sealing keys still accepted while the records sealed with them are replaced (key rotation). */
    Optional<List<String>> previousSecretsKeys();

    /** The {@code Retry-After} of a 503 answered while the broker or the database is unavailable. */
    @WithDefault("10s")
    Duration retryAfter();

    /**
     * The only source addresses deliveries are accepted from, as CIDR ranges or addresses (e.g. Bitbucket Cloud's
     * published ranges); others are answered 403. Empty (the default): any source. Behind a reverse proxy the
     * source is the client it forwards for only with {@code quarkus.http.proxy.proxy-address-forwarding}.
     */
    Optional<List<String>> allowedSources();

    /** The per-source rate limit of deliveries, answered 429 with {@code Retry-After} beyond it. */
    RateLimit rateLimit();

    interface RateLimit {

        /** Whether deliveries are limited per source address at all. */
        @WithDefault("true")
        boolean enabled();

        /** Deliveries per second one source address may keep up. */
        @WithDefault("50")
        double rate();

        /** Deliveries one source address may send at once, above the rate. */
        @WithDefault("100")
        int burst();

        /** How many source addresses are remembered; beyond it the least recently seen is forgotten. */
        @WithDefault("10000")
        int maxSources();
    }
}
