package io.trunkline.promotion;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The real broker and database every promotion-service test class shares (one application boot). */
@QuarkusTestResource(value = KafkaAndPostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "promotion_service"))
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PromotionTestResources {
}
