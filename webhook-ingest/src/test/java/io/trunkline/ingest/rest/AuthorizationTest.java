package io.trunkline.ingest.rest;

import static io.trunkline.infra.test.AuthorizationProbe.OWN_AUTHENTICATION;
import static io.trunkline.infra.test.AuthorizationProbe.PUBLIC;

import io.quarkus.arc.Arc;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.infra.test.AuthorizationProbe;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
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
 * webhook-ingest serves the webhook only, which Bitbucket's HMAC signature authenticates. A route added
 * without a rule here fails the build; one without {@code @PermitAll} or {@code @RolesAllowed} is refused by
 * the service ({@code deny-unannotated-endpoints}), and one that needs a bearer token needs quarkus-oidc first.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class AuthorizationTest {

    static final Map<String, String> RULES = Map.of("POST /webhooks/bitbucket", OWN_AUTHENTICATION);

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
