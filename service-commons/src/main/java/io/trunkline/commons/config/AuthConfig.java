package io.trunkline.commons.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** How a service with an API checks bearer tokens (quarkus-oidc does the checking; see README "Security"). */
@ConfigMapping(prefix = "trunkline.auth")
public interface AuthConfig {

    /**
     * {@code oidc}: tokens of the provider at {@code quarkus.oidc.auth-server-url}; {@code local}: tokens signed by
     * {@code bin/trunkline up}'s local key. Unset in a service that serves no API.
     */
    Optional<String> mode();

    /** The claim holding the caller's roles, a path through nested claims ({@code quarkus.oidc.roles.role-claim-path}). */
    @WithDefault("realm_access/roles")
    String roleClaim();
}
