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

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.commons.messaging.DeadLetters;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.InjectWireMock;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deployment requests from the real broker to a WireMock target and back as states: the happy paths. */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class DeployRequestsConsumerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @InjectWireMock("target")
    WireMockServer target;

    @Inject
    DeploymentRuns runs;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    /** A target under a path of this test's own, answering {@code status}. */
    private String targetAnswering(int status) {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(status)));
        return prefix;
    }

    private String baseUrl() {
        return "http://127.0.0.1:" + target.port();
    }

    @Test
    void requestIsDeployedOnceWithExpandedTemplatesAndBearerTokenThenInProgressAndSucceededArePublished() {
        String prefix = targetAnswering(202);
        RepositoryRef repository = DeployTopics.freshRepository();
        DeploymentRequested request = DeployTopics.request(repository, "staging", "feature/login page",
                DeployTopics.http("POST", baseUrl() + prefix + "/{slug}/{environment}?branch={branch}&commit={shortCommit}",
                        Map.of("X-Deploy-Ref", "{branch}"),
                        "{\"commit\":\"{commit}\",\"deployment\":\"{deploymentId}\"}"));

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        target.verify(exactly(1), anyRequestedFor(urlPathMatching(prefix + "/.*")));
        target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/" + repository.slug()
                        + "/staging?branch=feature%2Flogin%20page&commit=9c4f1d2"))
                .withHeader("Authorization", equalTo("Bearer " + DeployTestProfile.TOKEN))
                .withHeader("X-Deploy-Ref", equalTo("feature/login page"))
                .withRequestBody(equalToJson("{\"commit\":\"" + DeployTopics.COMMIT + "\",\"deployment\":\""
                        + request.deploymentId() + "\"}")));

        DeploymentStateChanged succeeded = topics.statuses(request.deploymentId()).get(1);
        assertThat(succeeded.repository()).isEqualTo(repository);
        assertThat(succeeded.environment()).isEqualTo("staging");
        assertThat(succeeded.commit()).isEqualTo(DeployTopics.COMMIT);
        assertThat(succeeded.reason()).isEqualTo("target answered 202");
        ConsumerRecord<String, String> record = topics.statusRecords(request.deploymentId()).get(1);
        assertThat(record.key()).isEqualTo(request.partitionKey());
        assertThat(CloudEventHeaders.read(record.headers()).source()).isEqualTo("/trunkline/deploy-service");
        assertThat(CloudEventHeaders.read(record.headers()).type()).isEqualTo("io.trunkline.deployment.succeeded");

        DeploymentRun run = QuarkusTransaction.requiringNew().call(() -> runs.find(request.deploymentId()).orElseThrow());
        assertThat(run.state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(run.attempts()).isEqualTo(1);
        assertThat(run.eventId()).isEqualTo(request.eventId());
        assertThat(run.finishedAt()).isAfterOrEqualTo(run.startedAt());
    }

    @Test
    void redeliveredRequestCallsTheTargetOnlyOnce() {
        String prefix = targetAnswering(200);
        RepositoryRef repository = DeployTopics.freshRepository();
        DeploymentRequested request = DeployTopics.request(repository, "staging", "main",
                DeployTopics.http("POST", baseUrl() + prefix + "/{deploymentId}", Map.of(), null));
        // same key, so it is processed after both copies of the first request
        DeploymentRequested later = DeployTopics.request(repository, "staging", "main",
                DeployTopics.http("POST", baseUrl() + prefix + "/{deploymentId}", Map.of(), null));

        topics.send(request);
        topics.send(request);
        topics.send(later);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(later.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/" + request.deploymentId())));
        assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED);
    }

    @Test
    void unknownEventTypesAndMalformedRequestsAreDeadLetteredWithTheirReasonAndDoNotHoldUpTheRest() {
        String prefix = targetAnswering(200);
        RepositoryRef repository = DeployTopics.freshRepository();
        DeploymentRequested request = DeployTopics.request(repository, "staging", "main",
                DeployTopics.http("POST", baseUrl() + prefix + "/{deploymentId}", Map.of(), null));
        String key = request.partitionKey();

        topics.sendRaw(key, "io.trunkline.something.new", "{\"whatever\":1}");
        topics.sendRaw(key, DeploymentRequested.TYPE, "{\"deploymentId\": \"not-a-uuid\"");
        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.deadLetters(key)).satisfiesExactly(
                unknown -> {
                    assertThat(unknown.value()).isEqualTo("{\"whatever\":1}");
                    assertThat(header(unknown, DeadLetters.REASON)).isEqualTo("unknown event type io.trunkline.something.new");
                },
                malformed -> {
                    assertThat(malformed.value()).contains("not-a-uuid");
                    assertThat(header(malformed, DeadLetters.REASON)).startsWith("not a valid " + DeploymentRequested.TYPE);
                    assertThat(header(malformed, DeadLetters.TOPIC)).isEqualTo(Topics.DEPLOY_REQUESTS);
                }));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Test
    void statusEventsCarryNoSecretEvenWhenTheTargetEchoesIt() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/ok/.*")).willReturn(aResponse().withStatus(200)
                .withBody("{\"deployed\":true,\"token\":\"" + DeployTestProfile.TOKEN + "\"}")));
        target.stubFor(post(urlPathMatching(prefix + "/denied/.*")).willReturn(aResponse().withStatus(401)
                .withBody("invalid token " + DeployTestProfile.TOKEN)));
        RepositoryRef repository = DeployTopics.freshRepository();
        DeploymentRequested succeeding = DeployTopics.request(repository, "staging", "main",
                DeployTopics.http("POST", baseUrl() + prefix + "/ok/{deploymentId}", Map.of(), null));
        DeploymentRequested denied = DeployTopics.request(repository, "production", "main",
                DeployTopics.http("POST", baseUrl() + prefix + "/denied/{deploymentId}", Map.of(), null));

        try (LogCapture logs = LogCapture.start()) {
            topics.send(succeeding);
            topics.send(denied);

            await().atMost(PATIENCE).untilAsserted(() -> {
                assertThat(topics.statuses(succeeding.deploymentId())).extracting(DeploymentStateChanged::state)
                        .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED);
                assertThat(topics.statuses(denied.deploymentId())).extracting(DeploymentStateChanged::state)
                        .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.FAILED);
            });
            target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/denied/" + denied.deploymentId()))
                    .withHeader("Authorization", equalTo("Bearer " + DeployTestProfile.TOKEN)));
            assertThat(topics.statuses(denied.deploymentId()).get(1).reason()).isEqualTo("target answered 401");
            for (DeploymentRequested request : new DeploymentRequested[] {succeeding, denied}) {
                for (ConsumerRecord<String, String> record : topics.statusRecords(request.deploymentId())) {
                    assertThat(record.value()).doesNotContain(DeployTestProfile.TOKEN).doesNotContain("DEPLOY_TEST_TOKEN");
                    for (Header header : record.headers()) {
                        assertThat(new String(header.value(), StandardCharsets.UTF_8)).doesNotContain(DeployTestProfile.TOKEN);
                    }
                }
            }
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(logs.lines())
                    .anySatisfy(line -> assertThat(line).contains(denied.deploymentId().toString())
                            .contains(repository.fullName()).contains("production").contains("FAILED")));
            assertThat(logs.lines()).noneSatisfy(line -> assertThat(line).contains(DeployTestProfile.TOKEN));
        }
    }
}
