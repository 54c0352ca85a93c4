package io.trunkline.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Where targets' credential references may point, checked again when deploy-service resolves them (promotion-service
 * refuses the rest at configuration time): a request that names anything else fails, naming the reference.
 */
@ConfigMapping(prefix = "trunkline.credentials")
public interface CredentialsConfig {

    /** The prefix every {@code env:} reference must have, so that no configuration reads the service's own secrets. */
    @WithDefault("TRUNKLINE_TARGET_")
    String envPrefix();

    /**
     * The only directory {@code file:} references may name files in, symbolic links resolved; relative to the
     * working directory unless absolute. The same as promotion-service's.
     */
    @WithDefault(".trunkline/secrets")
    String fileDir();
}
