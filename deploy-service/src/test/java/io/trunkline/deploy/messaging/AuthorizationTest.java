package io.trunkline.deploy.messaging;

import static io.trunkline.infra.test.AuthorizationProbe.PUBLIC;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.infra.test.AuthorizationProbe;
import io.trunkline.infra.test.RouteTable;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.TestFactory;

/**
 * deploy-service serves no API of its own: its route table is empty, so a route added without a rule here
 * fails the build (and one without {@code @RolesAllowed} or {@code @PermitAll} is refused by the service).
 * Health, metrics and OpenAPI stay public.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class AuthorizationTest {

    static final Map<String, String> RULES = Map.of();

    @TestHTTPResource("/")
    URL base;

    @TestFactory
    Stream<DynamicContainer> everyRouteHasARule() {
        return AuthorizationProbe.checks(base.toString(), routes(), RULES, parameter -> parameter);
    }

    @TestFactory
    Stream<DynamicContainer> healthMetricsAndOpenApiArePublic() {
        Map<String, String> rules = Map.of("GET /q/health/ready", PUBLIC, "GET /q/health/live", PUBLIC,
                "GET /q/metrics", PUBLIC, "GET /q/openapi", PUBLIC);
        List<RouteTable.Route> routes = rules.keySet().stream()
                .map(rule -> new RouteTable.Route("GET", rule.substring("GET ".length()))).toList();
        return AuthorizationProbe.checks(base.toString(), routes, rules, parameter -> parameter);
    }

    static List<RouteTable.Route> routes() {
        List<Class<?>> classes = Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE).stream()
                .<Class<?>>map(Bean::getBeanClass)
                .filter(type -> !type.isInterface() && type.getName().startsWith("io.trunkline."))
                .distinct()
                .toList();
        return RouteTable.of(classes);
    }
}
