package io.trunkline.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How deploy-service calls deployment targets. */
@ConfigMapping(prefix = "trunkline.deploy")
public interface DeployConfig {

    /** Calls per deployment, the first one included; only transient failures are retried. */
    @WithDefault("3")
    int attempts();

    /** How long one call may take, connecting included, before it counts as timed out. */
    @WithDefault("30s")
    Duration attemptTimeout();

    /** The wait before the second attempt; it doubles before each further attempt. */
    @WithDefault("500ms")
    Duration initialBackoff();

    /** The longest wait between two attempts, however many came before. */
    @WithDefault("30s")
    Duration maxBackoff();
}
