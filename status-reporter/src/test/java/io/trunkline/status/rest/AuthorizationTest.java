package io.trunkline.status.rest;

import static io.trunkline.infra.test.AuthorizationProbe.PUBLIC;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.commons.security.Roles;
import io.trunkline.infra.test.AuthorizationProbe;
import io.trunkline.infra.test.RouteTable;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * Who may call what, over every route of the running application (its JAX-RS resource beans): a route
 * without a rule here fails the build, and a resource method without {@code @RolesAllowed} or
 * {@code @PermitAll} is refused by the service ({@code deny-unannotated-endpoints}). The dashboard's page
 * shell, script and style are public; everything it shows comes from {@code /api/*}, which is not.
 */
@QuarkusTest
class AuthorizationTest {

    /** The rule of each route: the least role it needs. */
    static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("GET /", PUBLIC),
            Map.entry("GET /deployments/{id}", PUBLIC),
            Map.entry("GET /api/deployments", Roles.VIEWER),
            Map.entry("GET /api/deployments/{id}", Roles.VIEWER),
            Map.entry("GET /api/environments", Roles.VIEWER),
            Map.entry("GET /api/metrics/dora", Roles.VIEWER),
            Map.entry("GET /api/events", Roles.VIEWER));

    @TestHTTPResource("/")
    URL base;

    @TestFactory
    Stream<DynamicContainer> everyRouteAnswersOnlyTheRolesItsRuleNames() {
        return AuthorizationProbe.checks(base.toString(), routes(), RULES,
                parameter -> parameter.equals("id") ? UUID.randomUUID().toString() : parameter);
    }

    @TestFactory
    Stream<DynamicContainer> staticFilesHealthMetricsAndOpenApiArePublic() {
        Map<String, String> rules = Map.of("GET /dashboard/app.js", PUBLIC, "GET /dashboard/app.css", PUBLIC,
                "GET /q/health/ready", PUBLIC, "GET /q/health/live", PUBLIC, "GET /q/metrics", PUBLIC,
                "GET /q/openapi", PUBLIC);
        List<RouteTable.Route> routes = rules.keySet().stream()
                .map(rule -> new RouteTable.Route("GET", rule.substring("GET ".length()))).toList();
        return AuthorizationProbe.checks(base.toString(), routes, rules, parameter -> parameter);
    }

    /** The routes of the application's own resource beans (not its REST clients). */
    static List<RouteTable.Route> routes() {
        List<Class<?>> classes = Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .<Class<?>>map(Bean::getBeanClass)
                .filter(type -> !type.isInterface() && type.getName().startsWith("io.trunkline."))
                .distinct()
                .toList();
        return RouteTable.of(classes);
    }
}
