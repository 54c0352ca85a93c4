package io.trunkline.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    /** How long a delivery waits for the broker's acknowledgement before it is answered 503. */
    @WithDefault("5s")
    Duration publishTimeout();
}
