package io.trunkline.commons.security;

import io.quarkus.runtime.StartupEvent;
import io.trunkline.commons.config.AuthConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;

/**
 * Refuses to start a service whose API needs tokens (it sets {@code trunkline.auth.mode}) unless it
 * knows how to check them: {@code oidc} (the default) needs a provider ({@code TRUNKLINE_OIDC_URL});
 * {@code local}, which only {@code bin/trunkline up} and tests enable, needs the local public key and
 * the issuer {@value #LOCAL_ISSUER}. A service that serves no API sets no mode and is left alone.
 */
@ApplicationScoped
public class AuthenticationMode {

    public static final String LOCAL_ISSUER = "trunkline-local";

    private static final Logger LOG = Logger.getLogger(AuthenticationMode.class);

    private final AuthConfig auth;

    public AuthenticationMode(AuthConfig auth) {
        this.auth = auth;
    }

    void onStart(@Observes StartupEvent event) {
        Config config = ConfigProvider.getConfig();
        Optional<String> mode = auth.mode();
        if (mode.isEmpty()) {
            return;
        }
        Optional<String> problem = problem(mode.get(), config.getOptionalValue("quarkus.oidc.auth-server-url", String.class),
                config.getOptionalValue("quarkus.oidc.public-key", String.class),
                config.getOptionalValue("quarkus.oidc.token.issuer", String.class));
        if (problem.isPresent()) {
            throw new IllegalStateException(problem.get());
        }
        if (mode.get().equals("local")) {
            LOG.warn("Local authentication mode: tokens signed by bin/trunkline's local key are accepted; "
                    + "not for a shared or production deployment");
        }
    }

    /** Why these settings cannot start the service, if they cannot. */
    public static Optional<String> problem(String mode, Optional<String> authServerUrl, Optional<String> publicKey,
            Optional<String> issuer) {
        boolean provider = authServerUrl.filter(url -> !url.isBlank()).isPresent();
        boolean key = publicKey.filter(value -> !value.isBlank()).isPresent();
        switch (mode) {
            case "oidc" -> {
                if (!provider && !key) {
                    return Optional.of("No OIDC provider is configured for the API's bearer tokens: set TRUNKLINE_OIDC_URL "
                            + "to the provider's issuer URL (e.g. https://keycloak.example.com/realms/trunkline), or, for the "
                            + "local stack only, TRUNKLINE_AUTH_MODE=local as bin/trunkline up does");
                }
                if (issuer.filter(LOCAL_ISSUER::equals).isPresent()) {
                    return Optional.of("The issuer '" + LOCAL_ISSUER + "' is local mode's: set TRUNKLINE_AUTH_MODE=local "
                            + "to use it, or configure a real OIDC provider");
                }
                if (key && issuer.filter(value -> !value.isBlank()).isEmpty()) {
                    return Optional.of("quarkus.oidc.public-key is set without quarkus.oidc.token.issuer: tokens of any "
                            + "issuer would be accepted; set the issuer too");
                }
                return Optional.empty();
            }
            case "local" -> {
                if (provider) {
                    return Optional.of("TRUNKLINE_AUTH_MODE=local and an OIDC provider (TRUNKLINE_OIDC_URL) are both set: "
                            + "choose one");
                }
                if (!key) {
                    return Optional.of("TRUNKLINE_AUTH_MODE=local needs the local public key in QUARKUS_OIDC_PUBLIC_KEY "
                            + "(bin/trunkline up sets it from .trunkline/auth/)");
                }
                if (!issuer.filter(LOCAL_ISSUER::equals).isPresent()) {
                    return Optional.of("TRUNKLINE_AUTH_MODE=local needs QUARKUS_OIDC_TOKEN_ISSUER=" + LOCAL_ISSUER);
                }
                return Optional.empty();
            }
            default -> {
                return Optional.of("TRUNKLINE_AUTH_MODE must be 'oidc' (the default) or 'local', not '" + mode + "'");
            }
        }
    }
}
