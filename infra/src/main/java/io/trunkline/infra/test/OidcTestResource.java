package io.trunkline.infra.test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A WireMock OIDC provider: discovery document (issuer {@link TestTokens#ISSUER}) and the JWKS of
 * {@link TestTokens}' key. Points {@code quarkus.oidc.auth-server-url} at it, so services validate test
 * tokens as they validate a real provider's: signature through the JWKS, issuer, audience, expiry.
 */
public class OidcTestResource implements QuarkusTestResourceLifecycleManager {

    private static final String REALM = "/realms/trunkline";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String base = server.baseUrl() + REALM;
        server.stubFor(get(urlEqualTo(REALM + "/.well-known/openid-configuration")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"issuer": "%s", "jwks_uri": "%s/protocol/openid-connect/certs",
                         "token_endpoint": "%s/protocol/openid-connect/token",
                         "authorization_endpoint": "%s/protocol/openid-connect/auth",
                         "id_token_signing_alg_values_supported": ["RS256"]}"""
                        .formatted(TestTokens.ISSUER, base, base, base))));
        server.stubFor(get(urlEqualTo(REALM + "/protocol/openid-connect/certs")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json").withBody(TestTokens.jwks())));
        return Map.of("quarkus.oidc.auth-server-url", base,
                "trunkline.auth.mode", "oidc");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
