package io.trunkline.deploy.messaging;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.WireMockTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The servers every deploy-service {@code @QuarkusTest} shares (one application boot): the real
 * broker and database, and one WireMock server injected with {@code @InjectWireMock("target")} that stands
 * for every HTTP system deploy-service calls: the deploy targets and the OIDC token endpoints, each
 * test under paths of its own.
 */
@QuarkusTestResource(value = KafkaAndPostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "deploy_service"))
@QuarkusTestResource(value = WireMockTestResource.class, initArgs = {
        @ResourceArg(name = "name", value = "target"),
        @ResourceArg(name = "urlProperties", value = DeployTestProfile.WIREMOCK_URL_PROPERTIES)})
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface DeployTestResources {
}
