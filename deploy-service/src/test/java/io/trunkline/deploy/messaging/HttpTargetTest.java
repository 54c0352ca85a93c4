package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.BooleanNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.events.CredentialRef;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.TargetSpec;
import io.trunkline.events.TargetSpec.SuccessCondition;
import io.trunkline.infra.test.InjectWireMock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code http} target as Appsmith's continuous-delivery endpoint answers it: {@code 200} with
 * {@code responseMeta.success} saying whether the deployment ran, an idempotency key on the call,
 * template values that cannot change the JSON they land in, and {@code 429 Retry-After} waited out.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class HttpTargetTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String APPSMITH_DEPLOYED = """
            {"responseMeta":{"status":200,"success":true},"data":{"id":"660f7b","name":"Orders"},"errorDisplay":""}""";
    private static final String APPSMITH_FAILED = """
            {"responseMeta":{"status":400,"success":false,"error":{"code":"AE-GIT-4033","title":"Git operation failed",\
            "message":"The branch main has uncommitted changes"}},"data":null,"errorDisplay":"Git operation failed"}""";

    @InjectWireMock("target")
    WireMockServer target;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    /** Appsmith's deploy URL under a prefix of the test's own. */
    private static String appsmithPath(String prefix) {
        return prefix + "/api/v1/git/deploy/app/660f7b";
    }

    private TargetSpec appsmith(String prefix, String body) {
        return new TargetSpec(TargetSpec.HTTP, "POST",
                "http://127.0.0.1:" + target.port() + appsmithPath(prefix) + "?branchName={branch}", Map.of(), body,
                new CredentialRef("bearer", "env:DEPLOY_TEST_TOKEN"), null, Map.of(), null, null, null, null, null,
                new SuccessCondition("/responseMeta/success", BooleanNode.TRUE), null);
    }

    private List<DeploymentState> states(DeploymentRequested request) {
        return topics.statuses(request.deploymentId()).stream().map(DeploymentStateChanged::state).toList();
    }

    @Test
    void appsmithAnsweringTwoHundredWithSuccessFalseFailsTheDeploymentWithoutAnotherCall() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(appsmithPath(prefix))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(APPSMITH_FAILED)));
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                appsmith(prefix, null));

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request))
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.FAILED));
        assertThat(topics.statuses(request.deploymentId()).get(1).reason()).isEqualTo("target answered 200 but its answer"
                + " says the deployment failed: /responseMeta/success is false, not true");
        target.verify(exactly(1), postRequestedFor(urlEqualTo(appsmithPath(prefix) + "?branchName=main"))
                .withHeader("Authorization", equalTo("Bearer " + DeployTestProfile.TOKEN))
                .withHeader("Idempotency-Key", equalTo(request.deploymentId().toString())));
    }

    @Test
    void appsmithAnsweringSuccessTrueSucceedsAndATagCannotChangeTheJsonBody() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(appsmithPath(prefix))).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(APPSMITH_DEPLOYED)));
        String tag = "release-1\",\"env\":\"prod";
        DeploymentRequested request = new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                DeployTopics.freshRepository(), "staging", DeploymentOperation.DEPLOY, DeployTopics.COMMIT, "main", tag,
                null, appsmith(prefix, "{\"tag\":\"{tag}\",\"env\":\"staging\"}"), null);

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request))
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        assertThat(topics.statuses(request.deploymentId()).get(1).reason()).isEqualTo("target answered 200");
        target.verify(exactly(1), postRequestedFor(urlEqualTo(appsmithPath(prefix) + "?branchName=main"))
                .withRequestBody(equalToJson("{\"tag\":\"release-1\\\",\\\"env\\\":\\\"prod\",\"env\":\"staging\"}")));
    }

    @Test
    void tooManyRequestsWithRetryAfterIsLeftAloneThatLongThenCalledAgain() {
        String prefix = "/t-" + UUID.randomUUID();
        String scenario = "throttled-" + prefix;
        target.stubFor(post(urlPathMatching(prefix + "/.*")).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2")).willSetStateTo("ready"));
        target.stubFor(post(urlPathMatching(prefix + "/.*")).inScenario(scenario).whenScenarioStateIs("ready")
                .willReturn(aResponse().withStatus(202)));
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", "http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}", Map.of(), "{}"));

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request))
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        assertThat(topics.statuses(request.deploymentId()).get(1).reason()).isEqualTo("target answered 202 after 2 attempts");
        List<LoggedRequest> calls = target.findAll(anyRequestedFor(urlPathMatching(prefix + "/.*")));
        assertThat(calls).hasSize(2);
        // the profile's backoff is at most 200 ms: only the target's Retry-After makes the second call wait 2 s
        assertThat(Duration.between(calls.get(0).getLoggedDate().toInstant(), calls.get(1).getLoggedDate().toInstant()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    }
}
