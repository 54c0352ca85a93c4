package io.trunkline.ingest.rest;

import static io.trunkline.infra.test.AuthorizationProbe.OWN_AUTHENTICATION;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.infra.test.AuthorizationProbe;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.RouteTable;
import java.net.URL;
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
        return AuthorizationProbe.checks(base.toString(), RouteTable.ofRunningApplication(), RULES, parameter -> parameter);
    }

    @TestFactory
    Stream<DynamicContainer> healthMetricsAndOpenApiArePublic() {
        return AuthorizationProbe.quarkusEndpointsArePublic(base.toString());
    }

}
