package io.trunkline.promotion;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.OidcTestResource;
import io.trunkline.infra.test.WireMockTestResource;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The servers every promotion-service test class shares (one application boot): the real broker and
 * database, and WireMock servers standing in for Bitbucket Cloud ({@code /2.0} API) and a Bitbucket Data
 * Center server, reached through fields annotated {@code @InjectWireMock(BITBUCKET_CLOUD)}, and a WireMock OIDC
 * provider whose tokens {@code TestTokens} mints.
 */
@QuarkusTestResource(value = KafkaAndPostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "promotion_service"))
@QuarkusTestResource(value = WireMockTestResource.class, initArgs = {
    @ResourceArg(name = "urlProperties", value = "trunkline.bitbucket.api-url"),
    @ResourceArg(name = "path", value = "/2.0"),
    @ResourceArg(name = "name", value = PromotionTestResources.BITBUCKET_CLOUD)})
@QuarkusTestResource(value = WireMockTestResource.class, initArgs = {
    @ResourceArg(name = "urlProperties", value = "trunkline.bitbucket.server-url"),
    @ResourceArg(name = "name", value = PromotionTestResources.BITBUCKET_DATA_CENTER)})
@QuarkusTestResource(OidcTestResource.class)
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface PromotionTestResources {

    String BITBUCKET_CLOUD = "bitbucket-cloud";
    String BITBUCKET_DATA_CENTER = "bitbucket-data-center";
    /** The token {@code %test} configures, expected on every Bitbucket request. */
    String TOKEN = "test-bitbucket-token";
}
