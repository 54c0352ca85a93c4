package io.trunkline.promotion.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsStringIgnoringCase;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.trunkline.commons.security.Roles;
import io.trunkline.infra.test.AuthorizationProbe;
import io.trunkline.infra.test.RouteTable;
import io.trunkline.infra.test.TestTokens;
import io.trunkline.promotion.PromotionTestResources;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Who may call what, over every route of the running application (its JAX-RS resource beans): a route
 * without a rule here fails the build, and a resource method without {@code @RolesAllowed} or
 * {@code @PermitAll} is refused by the service ({@code deny-unannotated-endpoints}).
 */
@QuarkusTest
@PromotionTestResources
class AuthorizationTest {

    /** The rule of each route: the least role it needs. */
    static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("GET /api/repositories/{workspace}/{slug}", Roles.VIEWER),
            Map.entry("PUT /api/repositories/{workspace}/{slug}", Roles.ADMIN),
            Map.entry("DELETE /api/repositories/{workspace}/{slug}", Roles.ADMIN),
            Map.entry("DELETE /api/repositories/{workspace}/{slug}/webhook-secret", Roles.ADMIN),
            Map.entry("POST /api/repositories/{workspace}/{slug}/environments/{environment}/redeploy", Roles.OPERATOR),
            Map.entry("POST /api/repositories/{workspace}/{slug}/environments/{environment}/release", Roles.OPERATOR),
            Map.entry("POST /api/deployments/{id}/approve", Roles.OPERATOR),
            Map.entry("POST /api/deployments/{id}/cancel", Roles.OPERATOR),
            Map.entry("POST /api/deployments/{id}/override-freeze", Roles.OPERATOR),
            Map.entry("GET /api/audit", Roles.ADMIN));

    @TestHTTPResource("/")
    URL base;

    @TestFactory
    Stream<DynamicContainer> everyRouteAnswersOnlyTheRolesItsRuleNames() {
        return AuthorizationProbe.checks(base.toString(), RouteTable.ofRunningApplication(), RULES, parameter -> switch (parameter) {
            case "id" -> UUID.randomUUID().toString();
            case "workspace" -> "authz";
            case "slug" -> "not-configured";
            default -> "staging";
        });
    }

    @TestFactory
    Stream<DynamicContainer> healthMetricsAndOpenApiArePublic() {
        return AuthorizationProbe.quarkusEndpointsArePublic(base.toString());
    }

    @Test
    void theAuditLogRecordsTheTokensSubjectAndRoles() {
        String slug = "audited-by-token-" + UUID.randomUUID();
        String alice = TestTokens.sign(TestTokens.claims("alice", Roles.ADMIN));
        given().auth().oauth2(alice).contentType(ContentType.JSON)
                .body("""
                        { "environments": [ { "name": "staging", "trigger": "trunk",
                            "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ] }""")
                .put("/api/repositories/authz/" + slug).then().statusCode(201);

        given().auth().oauth2(alice).queryParam("repository", "authz/" + slug).get("/api/audit")
                .then().statusCode(200)
                .body("items[0].subject", equalTo("alice"))
                .body("items[0].roles", equalTo(List.of("admin", "operator", "viewer")));
    }

    @Test
    void theDashboardsPreflightNeedsNoToken() {
        given().header("Origin", "http://localhost:8083").header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options("/api/deployments/" + UUID.randomUUID() + "/approve")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8083")
                .header("Access-Control-Allow-Headers", containsStringIgnoringCase("Authorization"));
    }

    /** The routes of the application's own resource beans (not its REST clients). */
}
