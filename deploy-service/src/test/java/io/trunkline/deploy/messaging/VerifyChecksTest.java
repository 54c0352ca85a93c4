package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.TextNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.VerificationResult;
import io.trunkline.events.VerifyCheck;
import io.trunkline.infra.test.InjectWireMock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An environment's {@code verify} checks, with WireMock as the deployed application: after the target reported
 * success the deployment stays IN_PROGRESS "verifying" until the checks pass (SUCCEEDED) or one fails (FAILED,
 * naming it); an {@code http} check polls, a Postman collection is run by the real newman.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class VerifyChecksTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @InjectWireMock("target")
    WireMockServer target;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    /** A deployed application under its own prefix, whose deploy endpoint answers 200. */
    private String application() {
        String prefix = "/app-" + UUID.randomUUID();
        target.stubFor(post(urlEqualTo(prefix + "/deploy")).willReturn(aResponse().withStatus(200)));
        return prefix;
    }

    private DeploymentRequested request(String prefix, List<VerifyCheck> checks) {
        return new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), DeployTopics.freshRepository(),
                "staging", DeploymentOperation.DEPLOY, DeployTopics.COMMIT, "main", null, null,
                DeployTopics.http("POST", "http://127.0.0.1:" + target.port() + prefix + "/deploy", Map.of(), null), null,
                "http://127.0.0.1:" + target.port() + prefix, checks);
    }

    private DeploymentStateChanged finalState(DeploymentRequested request) {
        await().atMost(PATIENCE).until(() -> topics.statuses(request.deploymentId()).stream()
                .anyMatch(state -> state.state().isFinal()));
        List<DeploymentStateChanged> states = topics.statuses(request.deploymentId());
        return states.get(states.size() - 1);
    }

    @Test
    void anHttpCheckThatPassesAtTheThirdPollSucceedsTheDeployment() {
        String prefix = application();
        String scenario = "health-" + prefix;
        target.stubFor(get(urlEqualTo(prefix + "/health")).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("starting"));
        target.stubFor(get(urlEqualTo(prefix + "/health")).inScenario(scenario).whenScenarioStateIs("starting")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"DOWN\"}")).willSetStateTo("up"));
        target.stubFor(get(urlEqualTo(prefix + "/health")).inScenario(scenario).whenScenarioStateIs("up")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"status\":\"UP\",\"version\":\"" + DeployTopics.COMMIT + "\"}")));
        DeploymentRequested request = request(prefix, List.of(VerifyCheck.http("{url}/health",
                new VerifyCheck.Expect(200, "version", "/status", TextNode.valueOf("UP")),
                5, "200ms", "2s")));

        topics.send(request);

        DeploymentStateChanged end = finalState(request);
        assertThat(end.state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(end.reason()).endsWith("; verified: 1 check passed");
        assertThat(end.verification().outcome()).isEqualTo(VerificationResult.PASSED);
        assertThat(end.verification().checks()).singleElement().satisfies(check -> {
            assertThat(check.name()).isEqualTo("http check 1");
            assertThat(check.attempts()).isEqualTo(3);
            assertThat(check.outcome()).isEqualTo(VerificationResult.PASSED);
        });
        List<DeploymentStateChanged> states = topics.statuses(request.deploymentId());
        assertThat(states).extracting(DeploymentStateChanged::state).containsExactly(DeploymentState.IN_PROGRESS,
                DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED);
        assertThat(states.get(1).reason()).isEqualTo("verifying");
        assertThat(states.get(1).verification().outcome()).isEqualTo(VerificationResult.RUNNING);
        target.verify(exactly(3), getRequestedFor(urlEqualTo(prefix + "/health")));
    }

    @Test
    void anHttpCheckThatNeverPassesFailsTheDeploymentNamingIt() {
        String prefix = application();
        target.stubFor(get(urlEqualTo(prefix + "/ready")).willReturn(aResponse().withStatus(503)));
        DeploymentRequested request = request(prefix, List.of(new VerifyCheck("readiness", VerifyCheck.HTTP,
                "{url}/ready", null, 2, "100ms", "1s", null, null)));

        topics.send(request);

        DeploymentStateChanged end = finalState(request);
        assertThat(end.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(end.reason()).isEqualTo("verification failed: readiness: answered 503, expected 2xx (3 attempts)");
        assertThat(end.verification().failedCheck()).isEqualTo("readiness");
        target.verify(exactly(3), getRequestedFor(urlEqualTo(prefix + "/ready")));
    }

    /** A Postman collection of two requests with pm.test assertions, as a team exports it (schema v2.1). */
    private static String collection(String expectedName) {
        return """
                {
                  "info": { "name": "shop smoke tests",
                            "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json" },
                  "item": [
                    { "name": "health",
                      "request": { "method": "GET", "url": "{{baseUrl}}/health",
                                   "header": [ { "key": "X-Api-Key", "value": "{{apiKey}}" } ] },
                      "event": [ { "listen": "test", "script": { "type": "text/javascript", "exec": [
                        "pm.test('status is 200', function () { pm.response.to.have.status(200); });",
                        "pm.test('reports UP', function () { pm.expect(pm.response.json().status).to.eql('UP'); });"
                      ] } } ] },
                    { "name": "product",
                      "request": { "method": "GET", "url": "{{baseUrl}}/products/1?commit={{commit}}" },
                      "event": [ { "listen": "test", "script": { "type": "text/javascript", "exec": [
                        "pm.test('status is 200', function () { pm.response.to.have.status(200); });",
                        "pm.test('names the product', function () { pm.expect(pm.response.json().name).to.eql('%s'); });"
                      ] } } ] }
                  ]
                }""".formatted(expectedName);
    }

    private String postmanApplication() throws IOException {
        String prefix = application();
        target.stubFor(get(urlEqualTo(prefix + "/health")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"status\":\"UP\"}")));
        target.stubFor(get(urlPathEqualTo(prefix + "/products/1")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"id\":1,\"name\":\"Teapot\"}")));
        return prefix;
    }

    private static String collectionFile(String expectedName) throws IOException {
        Path file = DeployTestProfile.SECRETS_DIR.resolve("smoke-" + UUID.randomUUID() + ".postman_collection.json");
        Files.writeString(file, collection(expectedName));
        return "file:" + file;
    }

    @Test
    void aPostmanCollectionWhoseAssertionsPassSucceedsTheDeployment() throws IOException {
        String prefix = postmanApplication();
        DeploymentRequested request = request(prefix, List.of(new VerifyCheck("smoke tests", VerifyCheck.POSTMAN, null,
                null, null, null, "2m", collectionFile("Teapot"),
                Map.of("baseUrl", "{url}", "commit", "{shortCommit}", "apiKey", "env:DEPLOY_TEST_TOKEN"))));

        topics.send(request);

        DeploymentStateChanged end = finalState(request);
        assertThat(end.state()).as(end.reason()).isEqualTo(DeploymentState.SUCCEEDED);
        VerificationResult.CheckResult check = end.verification().checks().get(0);
        assertThat(check.summary()).isEqualTo(new VerificationResult.PostmanSummary(2, 0, 4, 0, null));
        assertThat(check.detail()).isEqualTo("2 requests, 4 of 4 assertions passed");
        target.verify(exactly(1), getRequestedFor(urlEqualTo(prefix + "/health"))
                .withHeader("X-Api-Key", com.github.tomakehurst.wiremock.client.WireMock.equalTo(DeployTestProfile.TOKEN)));
        target.verify(exactly(1), getRequestedFor(urlEqualTo(prefix + "/products/1?commit="
                + DeployTopics.COMMIT.substring(0, 7))));
        assertThat(end.toString()).doesNotContain(DeployTestProfile.TOKEN);
    }

    @Test
    void aPostmanCollectionWithAFailingAssertionFailsTheDeploymentWithNewmansSummary() throws IOException {
        String prefix = postmanApplication();
        DeploymentRequested request = request(prefix, List.of(
                VerifyCheck.http("{url}/health", null, 0, null, null),
                new VerifyCheck("smoke tests", VerifyCheck.POSTMAN, null, null, null, null, "2m",
                        collectionFile("Kettle"), Map.of("baseUrl", "{url}", "apiKey", "env:DEPLOY_TEST_TOKEN"))));

        topics.send(request);

        DeploymentStateChanged end = finalState(request);
        assertThat(end.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(end.verification().failedCheck()).isEqualTo("smoke tests");
        assertThat(end.verification().checks()).extracting(VerificationResult.CheckResult::outcome)
                .containsExactly(VerificationResult.PASSED, VerificationResult.FAILED);
        VerificationResult.PostmanSummary summary = end.verification().checks().get(1).summary();
        assertThat(summary.requests()).isEqualTo(2);
        assertThat(summary.assertions()).isEqualTo(4);
        assertThat(summary.assertionsFailed()).isEqualTo(1);
        assertThat(summary.failures()).singleElement().satisfies(failure -> {
            assertThat(failure.name()).isEqualTo("product / names the product");
            assertThat(failure.message()).contains("Teapot").contains("Kettle");
        });
        assertThat(end.reason()).startsWith("verification failed: smoke tests: 2 requests, 3 of 4 assertions passed;"
                + " first failure: product / names the product: ");
        assertThat(end.toString()).doesNotContain(DeployTestProfile.TOKEN);
    }

    @Test
    void aCollectionOutsideTheSecretsDirectoryIsNotRun() throws IOException {
        String prefix = postmanApplication();
        Path outside = Files.createTempFile("outside-", ".json");
        Files.writeString(outside, collection("Teapot"));
        DeploymentRequested request = request(prefix, List.of(VerifyCheck.postman("file:" + outside, Map.of(), null),
                VerifyCheck.postman("file:" + DeployTestProfile.SECRETS_DIR + "/../" + outside.getFileName(), Map.of(),
                        null)));

        topics.send(request);

        DeploymentStateChanged end = finalState(request);
        assertThat(end.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(end.reason()).isEqualTo("verification failed: postman check 1: file:" + outside
                + " is not a file in the secrets directory " + DeployTestProfile.SECRETS_DIR
                + " (trunkline.credentials.file-dir)");
        target.verify(exactly(0), getRequestedFor(urlEqualTo(prefix + "/health")));
    }
}
