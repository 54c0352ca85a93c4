package io.trunkline.deploy.messaging;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.infra.test.AuthorizationProbe;
import io.trunkline.infra.test.RouteTable;
import java.net.URL;
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
        return AuthorizationProbe.checks(base.toString(), RouteTable.ofRunningApplication(), RULES, parameter -> parameter);
    }

    @TestFactory
    Stream<DynamicContainer> healthMetricsAndOpenApiArePublic() {
        return AuthorizationProbe.quarkusEndpointsArePublic(base.toString());
    }

}
