package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.moreThanOrExactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.TargetSpec;
import io.trunkline.infra.test.InjectWireMock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Environments are deployed side by side, each environment's requests one at a time and in order:
 * judged from when WireMock received each call, not from how long the test took. Runs being followed
 * keep their environment but no lane thread.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class ParallelEnvironmentsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int TARGET_DELAY_MS = 2_000;

    @InjectWireMock("target")
    WireMockServer target;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    private String slowTarget(int delayMillis) {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*"))
                .willReturn(aResponse().withStatus(200).withFixedDelay(delayMillis)));
        return prefix;
    }

    private DeploymentRequested request(RepositoryRef repository, String environment, String prefix) {
        return DeployTopics.request(repository, environment, "main", DeployTopics.http("POST",
                "http://127.0.0.1:" + target.port() + prefix + "/{environment}/{deploymentId}", Map.of(), "{}"));
    }

    private void awaitSucceeded(List<DeploymentRequested> requests) {
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (DeploymentRequested request : requests) {
                assertThat(topics.statuses(request.deploymentId())).extracting(DeploymentStateChanged::state)
                        .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED);
            }
        });
    }

    private static Instant receivedAt(LoggedRequest call) {
        return call.getLoggedDate().toInstant();
    }

    @Test
    void tenEnvironmentsWhoseTargetsTakeTwoSecondsEachAreAllCalledBeforeTheFirstAnswers() {
        String prefix = slowTarget(TARGET_DELAY_MS);
        RepositoryRef repository = DeployTopics.freshRepository();
        List<DeploymentRequested> requests = IntStream.range(0, 10)
                .mapToObj(i -> request(repository, "env-" + i, prefix)).toList();

        requests.forEach(topics::send);

        awaitSucceeded(requests);
        List<LoggedRequest> calls = target.findAll(anyRequestedFor(urlPathMatching(prefix + "/.*")));
        assertThat(calls).hasSize(10);
        Instant firstCall = calls.stream().map(ParallelEnvironmentsTest::receivedAt).min(Comparator.naturalOrder())
                .orElseThrow();
        Instant lastCall = calls.stream().map(ParallelEnvironmentsTest::receivedAt).max(Comparator.naturalOrder())
                .orElseThrow();
        // one at a time, the tenth call would come 18 s after the first; side by side, before the first answers
        assertThat(Duration.between(firstCall, lastCall)).isLessThan(Duration.ofMillis(TARGET_DELAY_MS));
    }

    @Test
    void requestsOfOneEnvironmentAreCarriedOutOneAtATimeInTheOrderTheyCame() {
        int delay = 700;
        String prefix = slowTarget(delay);
        RepositoryRef repository = DeployTopics.freshRepository();
        List<DeploymentRequested> requests = IntStream.range(0, 3)
                .mapToObj(i -> request(repository, "staging", prefix)).toList();

        requests.forEach(topics::send);

        awaitSucceeded(requests);
        List<LoggedRequest> calls = target.findAll(anyRequestedFor(urlPathMatching(prefix + "/.*"))).stream()
                .sorted(Comparator.comparing(ParallelEnvironmentsTest::receivedAt)).toList();
        assertThat(calls).extracting(LoggedRequest::getUrl).containsExactly(requests.stream()
                .map(request -> prefix + "/staging/" + request.deploymentId()).toArray(String[]::new));
        for (int i = 1; i < calls.size(); i++) {
            // each call starts only after the one before it was answered
            assertThat(Duration.between(receivedAt(calls.get(i - 1)), receivedAt(calls.get(i))))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(delay));
        }
    }

    /** Bitbucket's answer about pipeline {@code uuid}: still running, or completed successfully. */
    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder pipeline(String uuid,
            boolean completed) {
        String state = completed
                ? "{\"name\":\"COMPLETED\",\"type\":\"pipeline_state_completed\",\"result\":{\"name\":\"SUCCESSFUL\","
                        + "\"type\":\"pipeline_state_completed_successful\"}}"
                : "{\"name\":\"IN_PROGRESS\",\"type\":\"pipeline_state_in_progress\"}";
        return aResponse().withHeader("Content-Type", "application/json").withBody("{\"type\":\"pipeline\",\"uuid\":\""
                + uuid + "\",\"build_number\":9,\"state\":" + state + "}");
    }

    @Test
    void runsFollowedInMoreEnvironmentsThanThereAreLanesLeaveTheLanesToOtherEnvironments() {
        // more pipelines than the 16 lane threads, each followed until the test lets them complete
        RepositoryRef repository = DeployTopics.freshRepository();
        String pipelines = "/repositories/" + repository.fullName() + "/pipelines/";
        String uuid = "{" + UUID.randomUUID() + "}";
        String pipelinePath = pipelines + uuid.replace("{", "%7B").replace("}", "%7D");
        target.stubFor(post(urlPathMatching(pipelines + "?")).willReturn(pipeline(uuid, false).withStatus(201)));
        target.stubFor(get(urlEqualTo(pipelinePath)).atPriority(5).willReturn(pipeline(uuid, false)));
        TargetSpec pipelineTarget = new TargetSpec(TargetSpec.BITBUCKET_PIPELINE, null, null, Map.of(), null, null,
                "deploy", Map.of(), null, null, null, null, null, null, null);
        List<DeploymentRequested> followed = IntStream.range(0, 20)
                .mapToObj(i -> DeployTopics.request(repository, "review-" + i, "main", pipelineTarget)).toList();

        followed.forEach(topics::send);
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (DeploymentRequested request : followed) {
                assertThat(topics.statuses(request.deploymentId())).extracting(DeploymentStateChanged::state)
                        .as("pipeline of %s started", request.environment())
                        .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS);
            }
        });
        // while all twenty are followed, another environment is deployed at once
        List<DeploymentRequested> quick = List.of(request(repository, "staging", slowTarget(0)));
        quick.forEach(topics::send);
        awaitSucceeded(quick);
        for (DeploymentRequested request : followed) {
            assertThat(topics.statuses(request.deploymentId())).as("still followed").hasSize(2);
        }
        target.verify(moreThanOrExactly(20), getRequestedFor(urlEqualTo(pipelinePath)));

        target.stubFor(get(urlEqualTo(pipelinePath)).atPriority(1).willReturn(pipeline(uuid, true)));

        await().atMost(PATIENCE).untilAsserted(() -> {
            for (DeploymentRequested request : followed) {
                assertThat(topics.statuses(request.deploymentId())).extracting(DeploymentStateChanged::state)
                        .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.IN_PROGRESS,
                                DeploymentState.SUCCEEDED);
            }
        });
    }
}
