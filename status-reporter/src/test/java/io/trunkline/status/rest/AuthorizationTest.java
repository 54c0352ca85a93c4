package io.trunkline.status.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.infra.test.AuthorizationProbe.PUBLIC;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.commons.security.Roles;
import io.trunkline.infra.test.AuthorizationProbe;
import io.trunkline.infra.test.RouteTable;
import java.net.URL;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Who may call what, over every route of the running application (its JAX-RS resource beans): a route
 * without a rule here fails the build, and a resource method without {@code @RolesAllowed} or
 * {@code @PermitAll} is refused by the service ({@code deny-unannotated-endpoints}). The dashboard's page
 * shell, script, style and sign-in settings are public; everything it shows comes from {@code /api/*}, which is not.
 */
@QuarkusTest
class AuthorizationTest {

    /** The rule of each route: the least role it needs. */
    static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("GET /", PUBLIC),
            Map.entry("GET /deployments/{id}", PUBLIC),
            Map.entry("GET /dashboard/config", PUBLIC), // how to sign in: the provider's public URL and client id
            Map.entry("GET /api/deployments", Roles.VIEWER),
            Map.entry("GET /api/deployments/{id}", Roles.VIEWER),
            Map.entry("GET /api/environments", Roles.VIEWER),
            Map.entry("GET /api/metrics/dora", Roles.VIEWER),
            Map.entry("GET /api/events", Roles.VIEWER));

    @TestHTTPResource("/")
    URL base;

    @TestFactory
    Stream<DynamicContainer> everyRouteAnswersOnlyTheRolesItsRuleNames() {
        return AuthorizationProbe.checks(base.toString(), RouteTable.ofRunningApplication(), RULES,
                parameter -> parameter.equals("id") ? UUID.randomUUID().toString() : parameter);
    }

    /** The dashboard's sign-in settings: the provider as configured, the public client, the role claim; nothing else. */
    @Test
    void dashboardConfigNamesTheProviderAndThePublicClientOnly() {
        Map<String, Object> config = given().get(base + "dashboard/config").then().statusCode(200)
                .header("Cache-Control", containsString("no-cache")).extract().jsonPath().getMap("$");
        assertThat(config).containsOnly(
                Map.entry("mode", "oidc"),
                Map.entry("issuer", ConfigProvider.getConfig().getValue("quarkus.oidc.auth-server-url", String.class)),
                Map.entry("clientId", "trunkline-dashboard"),
                Map.entry("roleClaim", "realm_access/roles"));
    }

    @TestFactory
    Stream<DynamicContainer> staticFilesHealthMetricsAndOpenApiArePublic() {
        return AuthorizationProbe.quarkusEndpointsArePublic(base.toString(), "/dashboard/app.js", "/dashboard/app.css");
    }

}
