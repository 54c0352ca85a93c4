package io.trunkline.commons.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthenticationModeTest {

    private static final Optional<String> NONE = Optional.empty();

    @Test
    void oidcModeNeedsAProvider() {
        assertThat(AuthenticationMode.problem("oidc", NONE, NONE, NONE)).get().asString().contains("TRUNKLINE_OIDC_URL");
        assertThat(AuthenticationMode.problem("oidc", Optional.of(""), NONE, NONE)).isPresent();
        assertThat(AuthenticationMode.problem("oidc", Optional.of("https://idp/realms/t"), NONE, NONE)).isEmpty();
    }

    @Test
    void oidcModeRefusesTheLocalIssuerAndAKeyWithoutIssuer() {
        assertThat(AuthenticationMode.problem("oidc", NONE, Optional.of("MIIB"), Optional.of("trunkline-local"))).isPresent();
        assertThat(AuthenticationMode.problem("oidc", NONE, Optional.of("MIIB"), NONE)).isPresent();
        assertThat(AuthenticationMode.problem("oidc", NONE, Optional.of("MIIB"), Optional.of("https://idp"))).isEmpty();
    }

    @Test
    void localModeNeedsTheKeyAndTheLocalIssuerAndNoProvider() {
        assertThat(AuthenticationMode.problem("local", NONE, NONE, Optional.of("trunkline-local"))).isPresent();
        assertThat(AuthenticationMode.problem("local", NONE, Optional.of("MIIB"), NONE)).isPresent();
        assertThat(AuthenticationMode.problem("local", Optional.of("https://idp"), Optional.of("MIIB"),
                Optional.of("trunkline-local"))).isPresent();
        assertThat(AuthenticationMode.problem("local", NONE, Optional.of("MIIB"), Optional.of("trunkline-local"))).isEmpty();
    }

    @Test
    void unknownModeIsRefused() {
        assertThat(AuthenticationMode.problem("none", NONE, NONE, NONE)).get().asString().contains("'none'");
    }

    @Test
    void rolesIncludeTheRolesBelow() {
        assertThat(Roles.withImplied(Set.of("admin"))).containsExactlyInAnyOrder("admin", "operator", "viewer");
        assertThat(Roles.withImplied(Set.of("operator"))).containsExactlyInAnyOrder("operator", "viewer");
        assertThat(Roles.withImplied(Set.of("viewer", "other"))).containsExactlyInAnyOrder("viewer", "other");
    }
}
