package io.trunkline.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How deploy-service runs an environment's {@code verify} checks after its target reported success. */
@ConfigMapping(prefix = "trunkline.verify")
public interface VerifyConfig {

    /**
     * The newman executable {@code postman} checks run: a name looked up on {@code PATH}, or a path (the
     * launcher points it at {@code deploy-service/newman/node_modules/.bin/newman} when that is installed).
     */
    @WithDefault("newman")
    String newmanCommand();

    /**
     * The only directory a check's {@code file:} collection may be in, symbolic links resolved: a configuration
     * cannot make deploy-service read its own files. Unset: the credentials' directory
     * ({@code trunkline.credentials.file-dir}), which promotion-service checks references against. Secret
     * variables ({@code env:}, {@code file:}) are credential references, confined as targets' are.
     */
    Optional<String> secretsDir();

    /** An {@code http} check's attempts after the first, where the check does not say. */
    @WithDefault("5")
    int retries();

    /** The wait between two attempts of an {@code http} check, where the check does not say. */
    @WithDefault("5s")
    Duration interval();

    /** How long one request of an {@code http} check may take, where the check does not say. */
    @WithDefault("5s")
    Duration httpTimeout();

    /** How long a {@code postman} check's newman run may take, where the check does not say; it is killed after. */
    @WithDefault("5m")
    Duration postmanTimeout();

    /** The longest a collection fetched from a URL may be. */
    @WithDefault("5242880")
    int maxCollectionBytes();
}
