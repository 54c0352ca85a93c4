package io.trunkline.status;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.OidcTestResource;
import io.trunkline.infra.test.WireMockTestResource;

/**
 * The servers every {@code @QuarkusTest} of this module runs against, declared once so that all
 * test classes share one application boot: the real broker and database, and two WireMock servers
 * standing in for Bitbucket Cloud ({@code /2.0} API) and a Bitbucket Data Center server, and a WireMock
 * OIDC provider whose tokens {@code TestTokens} mints.
 */
@QuarkusTestResource(value = KafkaAndPostgresTestResource.class, initArgs = {
    @ResourceArg(name = "database", value = "status_reporter")})
@QuarkusTestResource(value = WireMockTestResource.class, initArgs = {
    @ResourceArg(name = "urlProperties", value = "trunkline.bitbucket.api-url"),
    @ResourceArg(name = "path", value = "/2.0"),
    @ResourceArg(name = "name", value = StatusReporterTestResources.BITBUCKET_CLOUD)})
@QuarkusTestResource(value = WireMockTestResource.class, initArgs = {
    @ResourceArg(name = "urlProperties", value = "trunkline.bitbucket.server-url"),
    @ResourceArg(name = "name", value = StatusReporterTestResources.BITBUCKET_DATA_CENTER)})
@QuarkusTestResource(OidcTestResource.class)
public final class StatusReporterTestResources {

    public static final String BITBUCKET_CLOUD = "bitbucket-cloud";
    public static final String BITBUCKET_DATA_CENTER = "bitbucket-data-center";
    /** The token {@code %test} configures, expected on every Bitbucket request. */
    public static final String TOKEN = "test-bitbucket-token";
    /** The dashboard URL {@code %test} configures. */
    public static final String DASHBOARD_URL = "https://trunkline.example.test";

    private StatusReporterTestResources() {
    }
}
