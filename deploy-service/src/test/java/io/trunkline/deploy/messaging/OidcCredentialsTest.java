package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.events.CredentialRef;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.TargetSpec;
import io.trunkline.infra.test.InjectWireMock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code oidc:NAME} credentials: tokens from a client-credentials token endpoint that answers as a real
 * provider does, cached, replaced before they expire, and renewed once when the target refuses one.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class OidcCredentialsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @InjectWireMock("target")
    WireMockServer target;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    /** A token endpoint's answer to a client-credentials grant (RFC 6749 §5.1). */
    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder token(String accessToken,
            int expiresIn) {
        return aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json;charset=UTF-8")
                .withHeader("Cache-Control", "no-store")
                .withHeader("Pragma", "no-cache")
                .withBody("{\"access_token\":\"" + accessToken + "\",\"expires_in\":" + expiresIn
                        + ",\"refresh_expires_in\":0,\"token_type\":\"Bearer\",\"not-before-policy\":0,\"scope\":\"deploy\"}");
    }

    /** The endpoint answers {@code first}, then {@code then} to every later grant. */
    private void tokenEndpoint(String client, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first,
            com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder then) {
        String scenario = "tokens-" + client;
        target.stubFor(post(urlEqualTo(DeployTestProfile.tokenPath(client))).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(first).willSetStateTo("second"));
        target.stubFor(post(urlEqualTo(DeployTestProfile.tokenPath(client))).inScenario(scenario)
                .whenScenarioStateIs("second").willReturn(then));
    }

    private DeploymentRequested deployWith(String client, String prefix) {
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                new TargetSpec(TargetSpec.HTTP, "POST", "http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}",
                        Map.of(), "{}", new CredentialRef("bearer", "oidc:" + client), null, Map.of(), null, null, null,
                        null, null, null, null));
        topics.send(request);
        return request;
    }

    private DeploymentStateChanged awaitFinal(DeploymentRequested request, DeploymentState state) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state).containsExactly(DeploymentState.IN_PROGRESS, state));
        return topics.statuses(request.deploymentId()).get(1);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aTokenIsCachedAndReplacedBeforeItExpires() {
        String client = DeployTestProfile.CACHING_IDP;
        // the first token expires in 20 s, within the 30 s deploy-service keeps ahead of expiry
        tokenEndpoint(client, token("tok-short-lived", 20), token("tok-long-lived", 3600));
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(202)));

        DeploymentRequested first = deployWith(client, prefix);
        awaitFinal(first, DeploymentState.SUCCEEDED);
        DeploymentRequested second = deployWith(client, prefix);
        awaitFinal(second, DeploymentState.SUCCEEDED);
        DeploymentRequested third = deployWith(client, prefix);
        awaitFinal(third, DeploymentState.SUCCEEDED);

        target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/" + first.deploymentId()))
                .withHeader("Authorization", equalTo("Bearer tok-short-lived")));
        target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/" + second.deploymentId()))
                .withHeader("Authorization", equalTo("Bearer tok-long-lived")));
        target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/" + third.deploymentId()))
                .withHeader("Authorization", equalTo("Bearer tok-long-lived")));
        // one grant for the short-lived token, one for its replacement, none for the third deployment
        target.verify(exactly(2), postRequestedFor(urlEqualTo(DeployTestProfile.tokenPath(client)))
                .withHeader("Authorization", equalTo(basic("deploy-service", DeployTestProfile.IDP_CLIENT_SECRET)))
                .withRequestBody(containing("grant_type=client_credentials")));
    }

    @Test
    void aTargetRefusingTheTokenGetsOneNewTokenAndOneMoreCall() {
        String client = DeployTestProfile.ROTATING_IDP;
        tokenEndpoint(client, token("tok-revoked", 3600), token("tok-rotated", 3600));
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).withHeader("Authorization", equalTo("Bearer tok-revoked"))
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"")));
        target.stubFor(post(urlPathMatching(prefix + "/.*")).withHeader("Authorization", equalTo("Bearer tok-rotated"))
                .willReturn(aResponse().withStatus(200)));

        try (LogCapture logs = LogCapture.start()) {
            DeploymentRequested request = deployWith(client, prefix);

            assertThat(awaitFinal(request, DeploymentState.SUCCEEDED).reason())
                    .isEqualTo("target answered 200 after 2 attempts");
            target.verify(exactly(2), anyRequestedFor(urlPathMatching(prefix + "/.*")));
            target.verify(exactly(2), postRequestedFor(urlEqualTo(DeployTestProfile.tokenPath(client))));
            for (DeploymentStateChanged state : topics.statuses(request.deploymentId())) {
                assertThat(state.reason()).doesNotContain("tok-");
            }
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains("tok-revoked"));
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains("tok-rotated"));
        }
    }
}
