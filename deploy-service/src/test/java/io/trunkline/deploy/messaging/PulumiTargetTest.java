package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.TargetSpec;
import io.trunkline.infra.test.InjectWireMock;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code pulumi} targets against a WireMock server answering as the Pulumi Cloud REST API does: a
 * Deployments run started with the stack's settings and followed over several polls, a pull request's
 * review stack created from the stack's settings and destroyed on teardown, a failed run.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class PulumiTargetTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String ORGANIZATION = "acme";

    @InjectWireMock("target")
    WireMockServer pulumi;

    @Inject
    DeploymentRuns runs;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    private static String stackPath(String project, String stack) {
        return "/api/stacks/" + ORGANIZATION + "/" + project + "/" + stack;
    }

    private static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    /** Pulumi's answer to a new deployment: its id, its page in the console and the stack's deployment version. */
    private static ResponseDefinitionBuilder deploymentStarted(String project, String stack, String id, int version) {
        return json(202, "{\"id\":\"" + id + "\",\"consoleUrl\":\"https://app.pulumi.com/" + ORGANIZATION + "/" + project
                + "/" + stack + "/deployments/" + version + "\",\"version\":" + version + "}");
    }

    /** The deployment is read as {@code statuses}, one per poll, the last one for good. */
    private void pollsAnswer(String project, String stack, String id, int version, String... statuses) {
        String scenario = "pulumi-" + id;
        for (int i = 0; i < statuses.length; i++) {
            var stub = get(urlEqualTo(stackPath(project, stack) + "/deployments/" + id)).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll-" + i)
                    .willReturn(json(200, "{\"id\":\"" + id + "\",\"created\":\"2026-11-24 12:00:00.000\","
                            + "\"modified\":\"2026-11-24 12:00:05.000\",\"status\":\"" + statuses[i] + "\",\"version\":"
                            + version + ",\"requestedBy\":{\"name\":\"Trunkline\",\"githubLogin\":\"trunkline\"},"
                            + "\"jobs\":[{\"status\":\"" + statuses[i] + "\",\"started\":\"2026-11-24 12:00:01.000\","
                            + "\"steps\":[]}]}"));
            pulumi.stubFor(i + 1 < statuses.length ? stub.willSetStateTo("poll-" + (i + 1)) : stub);
        }
    }

    private static TargetSpec pulumiTarget(String project, String stack, String operation) {
        return new TargetSpec(TargetSpec.PULUMI, null, null, Map.of(), null, null, null, Map.of(), ORGANIZATION, project,
                stack, operation, null, null, null);
    }

    private static DeploymentRequested request(RepositoryRef repository, String environment,
            DeploymentOperation operation, Long pr, TargetSpec target) {
        return new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), repository, environment,
                operation, DeployTopics.COMMIT, "main", null, pr, target, null);
    }

    private List<DeploymentState> states(DeploymentRequested request) {
        return topics.statuses(request.deploymentId()).stream().map(DeploymentStateChanged::state).toList();
    }

    private DeploymentRun run(UUID deploymentId) {
        return QuarkusTransaction.requiringNew().call(() -> runs.find(deploymentId).orElseThrow());
    }

    @Test
    void updateIsStartedWithTheStacksSettingsAndFollowedOverSeveralPollsToSuccess() {
        String project = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        pulumi.stubFor(post(urlEqualTo(stackPath(project, "production") + "/deployments"))
                .willReturn(deploymentStarted(project, "production", id, 12)));
        pollsAnswer(project, "production", id, 12, "not-started", "accepted", "running", "running", "succeeded");
        DeploymentRequested request = request(DeployTopics.freshRepository(), "production", DeploymentOperation.DEPLOY,
                null, pulumiTarget(project, "production", null));
        String console = "https://app.pulumi.com/acme/" + project + "/production/deployments/12";

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request)).containsExactly(
                DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        List<DeploymentStateChanged> published = topics.statuses(request.deploymentId());
        assertThat(published.get(1).reason()).isEqualTo("Pulumi update of stack acme/" + project + "/production"
                + " started: " + console);
        assertThat(published.get(2).reason()).isEqualTo("Pulumi update of stack acme/" + project + "/production ("
                + console + ") succeeded");
        assertThat(published).extracting(DeploymentStateChanged::targetUrl).as("the run's link, once it started")
                .containsExactly(null, console, console);
        pulumi.verify(exactly(1), postRequestedFor(urlEqualTo(stackPath(project, "production") + "/deployments"))
                .withHeader("Authorization", equalTo("token " + DeployTestProfile.PULUMI_TOKEN))
                .withHeader("Accept", equalTo("application/vnd.pulumi+8"))
                .withHeader("Idempotency-Key", equalTo(request.deploymentId().toString()))
                .withRequestBody(equalToJson("{\"operation\":\"update\",\"inheritSettings\":true,"
                        + "\"sourceContext\":{\"git\":{\"commit\":\"" + DeployTopics.COMMIT + "\"}}}")));
        pulumi.verify(moreThanOrExactly(5), getRequestedFor(urlEqualTo(stackPath(project, "production")
                + "/deployments/" + id)).withHeader("Authorization", equalTo("token " + DeployTestProfile.PULUMI_TOKEN)));
        DeploymentRun run = run(request.deploymentId());
        assertThat(run.externalId()).isEqualTo(id);
        assertThat(run.link()).isEqualTo(console);
    }

    @Test
    void aPullRequestGetsAReviewStackWithTheStacksSettingsAndItsTeardownDestroysIt() {
        String project = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String settings = """
                {"sourceContext":{"git":{"repoUrl":"https://bitbucket.org/acme/web.git","branch":"refs/heads/main",\
                "repoDir":"infra"}},"operationContext":{"preRunCommands":["npm ci"],\
                "environmentVariables":{"AWS_REGION":"eu-west-1"}}}""";
        String review = stackPath(project, "pr-42");
        String scenario = "review-stack-" + project;
        pulumi.stubFor(get(urlEqualTo(review)).inScenario(scenario).whenScenarioStateIs(Scenario.STARTED)
                .willReturn(json(404, "{\"code\":404,\"message\":\"Not Found: stack 'acme/" + project + "/pr-42' not"
                        + " found\"}")));
        pulumi.stubFor(get(urlEqualTo(stackPath(project, "staging") + "/deployments/settings"))
                .willReturn(json(200, settings)));
        pulumi.stubFor(post(urlEqualTo("/api/stacks/" + ORGANIZATION + "/" + project)).inScenario(scenario)
                .willReturn(json(200, "{}")).willSetStateTo("created"));
        pulumi.stubFor(get(urlEqualTo(review)).inScenario(scenario).whenScenarioStateIs("created")
                .willReturn(json(200, "{\"orgName\":\"acme\",\"projectName\":\"" + project + "\",\"stackName\":\"pr-42\","
                        + "\"currentOperation\":null,\"activeUpdate\":\"\",\"tags\":{},\"version\":0}")));
        pulumi.stubFor(post(urlEqualTo(review + "/deployments/settings")).willReturn(json(200, settings)));
        String deployed = UUID.randomUUID().toString();
        String destroyed = UUID.randomUUID().toString();
        pulumi.stubFor(post(urlEqualTo(review + "/deployments")).withRequestBody(equalToJson(
                "{\"operation\":\"update\"}", true, true)).willReturn(deploymentStarted(project, "pr-42", deployed, 1)));
        pulumi.stubFor(post(urlEqualTo(review + "/deployments")).withRequestBody(equalToJson(
                "{\"operation\":\"destroy\"}", true, true)).willReturn(deploymentStarted(project, "pr-42", destroyed, 2)));
        pollsAnswer(project, "pr-42", deployed, 1, "running", "succeeded");
        pollsAnswer(project, "pr-42", destroyed, 2, "running", "succeeded");
        RepositoryRef repository = DeployTopics.freshRepository();
        TargetSpec target = pulumiTarget(project, "staging", null);
        DeploymentRequested preview = request(repository, "preview/pr-42", DeploymentOperation.DEPLOY, 42L, target);
        DeploymentRequested teardown = request(repository, "preview/pr-42", DeploymentOperation.TEARDOWN, 42L, target);

        topics.send(preview);
        topics.send(teardown);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(states(preview)).containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS,
                    DeploymentState.SUCCEEDED);
            assertThat(states(teardown)).containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS,
                    DeploymentState.SUCCEEDED);
        });
        assertThat(topics.statuses(teardown.deploymentId()).get(2).reason()).isEqualTo("Pulumi destroy of stack acme/"
                + project + "/pr-42 (https://app.pulumi.com/acme/" + project + "/pr-42/deployments/2) succeeded");
        pulumi.verify(exactly(1), postRequestedFor(urlEqualTo("/api/stacks/" + ORGANIZATION + "/" + project))
                .withRequestBody(equalToJson("{\"stackName\":\"pr-42\"}")));
        pulumi.verify(exactly(1), postRequestedFor(urlEqualTo(review + "/deployments/settings"))
                .withRequestBody(equalToJson(settings)));
        pulumi.verify(exactly(0), postRequestedFor(urlEqualTo(stackPath(project, "staging") + "/deployments")));
        pulumi.verify(exactly(2), postRequestedFor(urlEqualTo(review + "/deployments")));
    }

    @Test
    void aFailedRunFailsTheDeployment() {
        String project = "web-" + UUID.randomUUID().toString().substring(0, 8);
        String id = UUID.randomUUID().toString();
        pulumi.stubFor(post(urlEqualTo(stackPath(project, "staging") + "/deployments"))
                .willReturn(deploymentStarted(project, "staging", id, 3)));
        pollsAnswer(project, "staging", id, 3, "running", "failed");
        DeploymentRequested request = request(DeployTopics.freshRepository(), "staging", DeploymentOperation.DEPLOY,
                null, pulumiTarget(project, "staging", "refresh"));

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request)).containsExactly(
                DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS, DeploymentState.FAILED));
        assertThat(topics.statuses(request.deploymentId()).get(2).reason()).isEqualTo("Pulumi refresh of stack acme/"
                + project + "/staging (https://app.pulumi.com/acme/" + project + "/staging/deployments/3) failed");
        assertThat(topics.statuses(request.deploymentId()).get(2).targetUrl())
                .isEqualTo("https://app.pulumi.com/acme/" + project + "/staging/deployments/3");
    }
}
