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
 * broker and database, and a WireMock deploy target injected with {@code @InjectWireMock("target")}.
 */
@QuarkusTestResource(value = KafkaAndPostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "deploy_service"))
@QuarkusTestResource(value = WireMockTestResource.class, initArgs = @ResourceArg(name = "name", value = "target"))
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface DeployTestResources {
}
