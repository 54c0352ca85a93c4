package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.CredentialRef;
import io.trunkline.events.DeploymentCancelRequested;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.EventCodec;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import io.trunkline.infra.test.InjectWireMock;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code bitbucket-pipeline} targets against a WireMock server answering as Bitbucket Cloud's Pipelines API
 * does: the custom pipeline run on the tag and commit, followed over several polls, a {@code 400} with
 * Bitbucket's message, a cancel that stops the pipeline, and a pipeline followed again after its worker died.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class BitbucketPipelineTargetTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @InjectWireMock("target")
    WireMockServer bitbucket;

    @Inject
    DeploymentRuns runs;

    @Inject
    AgroalDataSource dataSource;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    private static String pipelinesPath(RepositoryRef repository) {
        return "/repositories/" + repository.workspace() + "/" + repository.slug() + "/pipelines/";
    }

    /** The path of one pipeline, its {@code {uuid}} percent-encoded as Bitbucket's clients send it. */
    private static String pipelinePath(RepositoryRef repository, String uuid) {
        return pipelinesPath(repository) + uuid.replace("{", "%7B").replace("}", "%7D");
    }

    /** Bitbucket's answer to a pipeline run, in the state given. */
    private static ResponseDefinitionBuilder pipeline(RepositoryRef repository, String uuid, int buildNumber,
            String state, String result) {
        String stateJson = result == null
                ? "{\"name\":\"" + state + "\",\"type\":\"pipeline_state_" + state.toLowerCase() + "\"}"
                : "{\"name\":\"COMPLETED\",\"type\":\"pipeline_state_completed\",\"result\":{\"name\":\"" + result
                        + "\",\"type\":\"pipeline_state_completed_" + result.toLowerCase() + "\"}}";
        return aResponse().withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"pipeline\",\"uuid\":\"" + uuid + "\",\"build_number\":" + buildNumber
                        + ",\"creator\":{\"type\":\"user\",\"display_name\":\"Trunkline\"},"
                        + "\"repository\":{\"type\":\"repository\",\"full_name\":\"" + repository.fullName() + "\"},"
                        + "\"target\":{\"type\":\"pipeline_ref_target\",\"ref_type\":\"tag\",\"ref_name\":\"release-7\","
                        + "\"selector\":{\"type\":\"custom\",\"pattern\":\"deploy-production\"}},"
                        + "\"state\":" + stateJson + ",\"created_on\":\"2026-11-24T12:00:00.000000Z\"}");
    }

    /** Bitbucket answers a trigger with 201, the new pipeline PENDING, and its address. */
    private void triggerAnswers(RepositoryRef repository, String uuid, int buildNumber) {
        bitbucket.stubFor(post(urlPathMatching(pipelinesPath(repository) + "?")).willReturn(
                pipeline(repository, uuid, buildNumber, "PENDING", null).withStatus(201)
                        .withHeader("Location", "https://api.bitbucket.org/2.0" + pipelinePath(repository, uuid))));
    }

    /** The pipeline is polled as {@code states}, one per poll, the last one for good. */
    private void pollsAnswer(RepositoryRef repository, String uuid, int buildNumber, String... states) {
        String scenario = "pipeline-" + uuid;
        for (int i = 0; i < states.length; i++) {
            String[] stateAndResult = states[i].split("/");
            var stub = get(urlEqualTo(pipelinePath(repository, uuid))).inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "poll-" + i)
                    .willReturn(pipeline(repository, uuid, buildNumber, stateAndResult[0],
                            stateAndResult.length > 1 ? stateAndResult[1] : null).withStatus(200));
            bitbucket.stubFor(i + 1 < states.length ? stub.willSetStateTo("poll-" + (i + 1)) : stub);
        }
    }

    private static TargetSpec pipelineTarget(CredentialRef auth) {
        return new TargetSpec(TargetSpec.BITBUCKET_PIPELINE, null, null, Map.of(), null, auth, "deploy-production",
                Map.of("RELEASE", "{tag}", "DEPLOYMENT", "{deploymentId}"), null, null, null, null, null, null, null);
    }

    private static DeploymentRequested releaseOf(RepositoryRef repository, TargetSpec target) {
        return new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), repository, "production",
                DeploymentOperation.DEPLOY, DeployTopics.COMMIT, null, "release-7", null, target, null);
    }

    private List<DeploymentState> states(DeploymentRequested request) {
        return topics.statuses(request.deploymentId()).stream().map(DeploymentStateChanged::state).toList();
    }

    private DeploymentRun run(UUID deploymentId) {
        return QuarkusTransaction.requiringNew().call(() -> runs.find(deploymentId).orElseThrow());
    }

    private static String uuid() {
        return "{" + UUID.randomUUID() + "}";
    }

    @Test
    void customPipelineRunsOnTheTagAndIsFollowedOverSeveralPollsToItsResult() {
        RepositoryRef repository = DeployTopics.freshRepository();
        String uuid = uuid();
        triggerAnswers(repository, uuid, 42);
        pollsAnswer(repository, uuid, 42, "PENDING", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED/SUCCESSFUL");
        DeploymentRequested request = releaseOf(repository, pipelineTarget(null));
        String page = "https://bitbucket.example/" + repository.fullName() + "/pipelines/results/42";

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request)).containsExactly(
                DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        List<DeploymentStateChanged> published = topics.statuses(request.deploymentId());
        assertThat(published.get(1).reason()).isEqualTo("Bitbucket pipeline #42 (custom: deploy-production) started: "
                + page);
        assertThat(published.get(2).reason()).isEqualTo("Bitbucket pipeline #42 (" + page + ") completed: SUCCESSFUL");
        assertThat(published.get(2).tag()).isEqualTo("release-7");
        assertThat(published).extracting(DeploymentStateChanged::targetUrl).as("the pipeline's page, once it runs")
                .containsExactly(null, page, page);
        bitbucket.verify(exactly(1), postRequestedFor(urlPathMatching(pipelinesPath(repository) + "?"))
                .withHeader("Authorization", equalTo("Bearer " + DeployTestProfile.BITBUCKET_TOKEN))
                .withHeader("Idempotency-Key", equalTo(request.deploymentId().toString()))
                .withRequestBody(equalToJson("""
                        {"target": {"type": "pipeline_ref_target", "ref_type": "tag", "ref_name": "release-7",
                                    "commit": {"type": "commit", "hash": "%s"},
                                    "selector": {"type": "custom", "pattern": "deploy-production"}},
                         "variables": [{"key": "RELEASE", "value": "release-7", "secured": false},
                                       {"key": "DEPLOYMENT", "value": "%s", "secured": false}]}"""
                        .formatted(DeployTopics.COMMIT, request.deploymentId()), true, false)));
        bitbucket.verify(moreThanOrExactly(4), getRequestedFor(urlEqualTo(pipelinePath(repository, uuid)))
                .withHeader("Authorization", equalTo("Bearer " + DeployTestProfile.BITBUCKET_TOKEN)));
        DeploymentRun run = run(request.deploymentId());
        assertThat(run.externalId()).isEqualTo(uuid);
        assertThat(run.link()).isEqualTo(page);
        assertThat(run.attempts()).isEqualTo(1);
        for (var record : topics.statusRecords(request.deploymentId())) {
            assertThat(record.value()).doesNotContain(DeployTestProfile.BITBUCKET_TOKEN);
        }
    }

    @Test
    void pipelineThatFailsFailsTheDeploymentAndAServerErrorOnTheTriggerIsRetried() {
        RepositoryRef repository = DeployTopics.freshRepository();
        String uuid = uuid();
        String scenario = "busy-" + uuid;
        bitbucket.stubFor(post(urlPathMatching(pipelinesPath(repository) + "?")).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willReturn(aResponse().withStatus(503)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"type\":\"error\",\"error\":{\"message\":\"Service unavailable\"}}"))
                .willSetStateTo("up"));
        bitbucket.stubFor(post(urlPathMatching(pipelinesPath(repository) + "?")).inScenario(scenario)
                .whenScenarioStateIs("up").willReturn(pipeline(repository, uuid, 7, "PENDING", null).withStatus(201)));
        pollsAnswer(repository, uuid, 7, "IN_PROGRESS", "COMPLETED/FAILED");
        DeploymentRequested request = releaseOf(repository, pipelineTarget(null));

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request)).containsExactly(
                DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS, DeploymentState.FAILED));
        assertThat(topics.statuses(request.deploymentId()).get(2).reason()).isEqualTo("Bitbucket pipeline #7"
                + " (https://bitbucket.example/" + repository.fullName() + "/pipelines/results/7) completed: FAILED");
        bitbucket.verify(exactly(2), postRequestedFor(urlPathMatching(pipelinesPath(repository) + "?")));
        assertThat(run(request.deploymentId()).attempts()).isEqualTo(2);
    }

    @Test
    void badRequestFailsAtOnceWithBitbucketsMessage() {
        RepositoryRef repository = DeployTopics.freshRepository();
        bitbucket.stubFor(post(urlPathMatching(pipelinesPath(repository) + "?")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"message\":\"Could not find a custom pipeline named"
                        + " 'deploy-production' in the bitbucket-pipelines.yml at commit 9c4f1d2.\"}}")));
        DeploymentRequested request = releaseOf(repository, pipelineTarget(null));

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request))
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.FAILED));
        assertThat(topics.statuses(request.deploymentId()).get(1).reason()).isEqualTo("Bitbucket refused to run custom"
                + " pipeline deploy-production: Could not find a custom pipeline named 'deploy-production' in the"
                + " bitbucket-pipelines.yml at commit 9c4f1d2.");
        bitbucket.verify(exactly(1), anyRequestedFor(urlPathMatching(pipelinesPath(repository) + ".*")));
    }

    @Test
    void cancellingADeploymentStopsItsRunningPipeline() {
        RepositoryRef repository = DeployTopics.freshRepository();
        String uuid = uuid();
        String scenario = "stoppable-" + uuid;
        triggerAnswers(repository, uuid, 12);
        bitbucket.stubFor(get(urlEqualTo(pipelinePath(repository, uuid))).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(pipeline(repository, uuid, 12, "IN_PROGRESS", null).withStatus(200)));
        bitbucket.stubFor(post(urlEqualTo(pipelinePath(repository, uuid) + "/stopPipeline")).inScenario(scenario)
                .willReturn(aResponse().withStatus(204)).willSetStateTo("stopped"));
        bitbucket.stubFor(get(urlEqualTo(pipelinePath(repository, uuid))).inScenario(scenario)
                .whenScenarioStateIs("stopped")
                .willReturn(pipeline(repository, uuid, 12, "COMPLETED", "STOPPED").withStatus(200)));
        DeploymentRequested request = releaseOf(repository, pipelineTarget(null));

        topics.send(request);
        await().atMost(PATIENCE).untilAsserted(() -> bitbucket.verify(moreThanOrExactly(2),
                getRequestedFor(urlEqualTo(pipelinePath(repository, uuid)))));
        topics.send(new DeploymentCancelRequested(UUID.randomUUID(), Instant.now(), request.deploymentId(), repository,
                "production", "alice", "cancelled by alice: wrong tag"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request)).containsExactly(
                DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS, DeploymentState.CANCELLED));
        assertThat(topics.statuses(request.deploymentId()).get(2).reason()).isEqualTo("cancelled by alice: wrong tag;"
                + " Bitbucket pipeline #12 (https://bitbucket.example/" + repository.fullName()
                + "/pipelines/results/12) completed: STOPPED");
        assertThat(topics.statuses(request.deploymentId()).get(2).targetUrl()).isEqualTo("https://bitbucket.example/"
                + repository.fullName() + "/pipelines/results/12");
        bitbucket.verify(exactly(1), postRequestedFor(urlEqualTo(pipelinePath(repository, uuid) + "/stopPipeline"))
                .withHeader("Authorization", equalTo("Bearer " + DeployTestProfile.BITBUCKET_TOKEN)));
        assertThat(run(request.deploymentId()).state()).isEqualTo(DeploymentState.CANCELLED);
    }

    @Test
    void aRequestCancelledBeforeItsTurnIsNeverStarted() {
        RepositoryRef repository = DeployTopics.freshRepository();
        String uuid = uuid();
        triggerAnswers(repository, uuid, 3);
        pollsAnswer(repository, uuid, 3, "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "COMPLETED/SUCCESSFUL");
        DeploymentRequested first = releaseOf(repository, pipelineTarget(null));
        DeploymentRequested second = releaseOf(repository, pipelineTarget(null));

        topics.send(first);
        topics.send(second);
        // the second waits in its environment's lane behind the first, which is being followed
        topics.send(new DeploymentCancelRequested(UUID.randomUUID(), Instant.now(), second.deploymentId(), repository,
                "production", "bob", null));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(second)).containsExactly(DeploymentState.CANCELLED));
        assertThat(topics.statuses(second.deploymentId()).get(0).reason()).isEqualTo("cancelled by bob; not started");
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(first)).containsExactly(
                DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        bitbucket.verify(exactly(1), postRequestedFor(urlPathMatching(pipelinesPath(repository) + "?"))
                .withHeader("Idempotency-Key", equalTo(first.deploymentId().toString())));
    }

    @Test
    void aPipelineWhoseWorkerDiedIsFollowedAgainAndNeverRunTwice() {
        RepositoryRef repository = DeployTopics.freshRepository();
        String uuid = uuid();
        triggerAnswers(repository, uuid, 5);
        pollsAnswer(repository, uuid, 5, "IN_PROGRESS", "COMPLETED/SUCCESSFUL");
        DeploymentRequested request = releaseOf(repository, pipelineTarget(null));
        String page = "https://bitbucket.example/" + repository.fullName() + "/pipelines/results/5";
        // what an instance killed while it followed the pipeline leaves: the run, its pipeline, an expired lease
        QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO deployment_run (deployment_id, event_id, state, attempts, started_at, request,
                                                        lease_owner, lease_expires_at, external_id, link)
                            VALUES (?, ?, 'IN_PROGRESS', 1, now() - INTERVAL '1 minute', ?, ?,
                                    now() - INTERVAL '20 seconds', ?, ?)""")) {
                insert.setObject(1, request.deploymentId());
                insert.setObject(2, request.eventId());
                insert.setString(3, EventCodec.encode(request));
                insert.setString(4, "deploy-service-killed-" + UUID.randomUUID());
                insert.setString(5, uuid);
                insert.setString(6, page);
                return insert.executeUpdate();
            }
        });

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(request)).containsExactly(DeploymentState.SUCCEEDED));
        assertThat(topics.statuses(request.deploymentId()).get(0).reason()).isEqualTo("Bitbucket pipeline #5 (" + page
                + ") completed: SUCCESSFUL; followed again after deploy-service stopped while following it");
        assertThat(topics.statuses(request.deploymentId()).get(0).targetUrl()).isEqualTo(page);
        bitbucket.verify(exactly(0), postRequestedFor(urlPathMatching(pipelinesPath(repository) + "?")));
        bitbucket.verify(moreThanOrExactly(2), getRequestedFor(urlEqualTo(pipelinePath(repository, uuid))));
    }

    @Test
    void missingCredentialsAndDataCenterRepositoriesFailWithoutACall() {
        RepositoryRef repository = DeployTopics.freshRepository();
        RepositoryRef dataCenter = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "PROJ", repository.slug());
        DeploymentRequested unresolved = releaseOf(repository,
                pipelineTarget(new CredentialRef("bearer", "env:DEPLOY_NOT_SET")));
        DeploymentRequested onDataCenter = releaseOf(dataCenter, pipelineTarget(null));

        topics.send(unresolved);
        topics.send(onDataCenter);

        await().atMost(PATIENCE).untilAsserted(() -> {
            assertThat(states(unresolved)).containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.FAILED);
            assertThat(states(onDataCenter)).containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.FAILED);
        });
        assertThat(topics.statuses(unresolved.deploymentId()).get(1).reason())
                .isEqualTo("credential env:DEPLOY_NOT_SET is not set");
        assertThat(topics.statuses(onDataCenter.deploymentId()).get(1).reason()).isEqualTo("Bitbucket Data Center has"
                + " no Pipelines: a bitbucket-pipeline target needs a Bitbucket Cloud repository");
        bitbucket.verify(exactly(0), anyRequestedFor(urlPathMatching("/repositories/[^/]+/" + repository.slug() + "/.*")));
    }
}
