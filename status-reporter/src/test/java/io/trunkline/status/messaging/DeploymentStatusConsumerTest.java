package io.trunkline.status.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.trunkline.status.DeploymentEvents.CLOUD_REPO;
import static io.trunkline.status.DeploymentEvents.DATA_CENTER_REPO;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.commons.messaging.DeadLetters;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.DatabaseOutage;
import io.trunkline.infra.test.InjectWireMock;
import io.trunkline.status.DeploymentEvents;
import io.trunkline.status.ShortTimeoutsProfile;
import io.trunkline.status.StatusReporterTestResources;
import io.trunkline.status.persistence.Deployment;
import io.trunkline.status.persistence.DeploymentReadModel;
import io.trunkline.status.service.DeploymentReporting;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Deployment states produced to the real broker become commit statuses on a WireMock Bitbucket. */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class DeploymentStatusConsumerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final UUID CLOUD_STUB = UUID.fromString("00000000-0000-0000-0000-00000000c10d");
    private static final UUID DATA_CENTER_STUB = UUID.fromString("00000000-0000-0000-0000-0000000000dc");

    private static KafkaCompanion kafka;

    @InjectWireMock(StatusReporterTestResources.BITBUCKET_CLOUD)
    WireMockServer cloud;

    @Inject
    DataSource dataSource;

    @InjectWireMock(StatusReporterTestResources.BITBUCKET_DATA_CENTER)
    WireMockServer dataCenter;

    @BeforeAll
    static void connect() {
        kafka = DeploymentEvents.kafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @BeforeEach
    void bitbucketAcceptsStatuses() {
        stubOnce(cloud, post(urlPathMatching("/2.0/repositories/[^/]+/[^/]+/commit/[0-9a-f]+/statuses/build"))
                .withId(CLOUD_STUB).atPriority(10)
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{}")));
        stubOnce(dataCenter, post(urlPathMatching("/rest/api/latest/projects/[^/]+/repos/[^/]+/commits/[0-9a-f]+/builds"))
                .withId(DATA_CENTER_STUB).atPriority(10)
                .willReturn(aResponse().withStatus(204)));
    }

    private static void stubOnce(WireMockServer server, MappingBuilder stub) {
        StubMapping mapping = stub.build();
        if (server.getStubMappings().stream().noneMatch(existing -> existing.getId().equals(mapping.getId()))) {
            server.addStubMapping(mapping);
        }
    }

    @Test
    void queuedInProgressSucceededEndSuccessfulOnTheCommit() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");

        produce(kafka, deployment.next(DeploymentState.QUEUED), deployment.next(DeploymentState.IN_PROGRESS),
                deployment.next(DeploymentState.SUCCEEDED));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(cloudPosts(deployment.commit())))
                .endsWith("SUCCESSFUL"));
        // updates still queued when a newer one arrives are collapsed: the posts are the states in order, some skipped
        assertThat(cloudPosts(deployment.commit())).extracting(r -> body(r).path("description").asText())
                .isSubsetOf("Queued for staging", "Deploying to staging", "Deployed to staging")
                .doesNotHaveDuplicates()
                .endsWith("Deployed to staging");
        for (LoggedRequest request : cloudPosts(deployment.commit())) {
            assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + StatusReporterTestResources.TOKEN);
            assertThat(request.getHeader("Content-Type")).startsWith("application/json");
            JsonNode body = body(request);
            assertThat(body.path("key").asText()).isEqualTo("trunkline-staging");
            assertThat(body.path("name").asText()).isEqualTo("Trunkline staging");
            assertThat(body.path("url").asText())
                    .isEqualTo(StatusReporterTestResources.DASHBOARD_URL + "/deployments/" + deployment.deploymentId());
        }
    }

    @Test
    void redeliveredEventJoinsTheTimelineOnce() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");
        DeploymentStateChanged queued = deployment.next(DeploymentState.QUEUED);

        produce(kafka, queued, queued, deployment.next(DeploymentState.SUCCEEDED));

        // the success is consumed after the redelivery, so once it is posted the redelivery was skipped for good
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(cloudPosts(deployment.commit())))
                .endsWith("SUCCESSFUL"));
        assertThat(QuarkusTransaction.requiringNew().call(
                () -> readModel().timeline(deployment.deploymentId()))).hasSize(2);
        assertThat(states(cloudPosts(deployment.commit()))).containsOnlyOnce("SUCCESSFUL");
    }

    @Test
    void oneEnvironmentHeldUpDoesNotHoldUpAnother() throws Exception {
        DeploymentEvents held = new DeploymentEvents(CLOUD_REPO, "staging");
        DeploymentEvents other = new DeploymentEvents(CLOUD_REPO, "production");
        produce(kafka, held.next(DeploymentState.QUEUED));
        await().atMost(PATIENCE).until(() -> QuarkusTransaction.requiringNew().call(
                () -> readModel().find(held.deploymentId()).isPresent()));

        try (Connection lock = dataSource.getConnection()) {
            lock.setAutoCommit(false);
            try (PreparedStatement select = lock.prepareStatement("SELECT id FROM deployment WHERE id = ? FOR UPDATE")) {
                select.setObject(1, held.deploymentId());
                select.executeQuery().close();
            }
            // the held deployment's next state waits for the row; the other environment's states go on meanwhile
            produce(kafka, held.next(DeploymentState.SUCCEEDED), other.next(DeploymentState.QUEUED),
                    other.next(DeploymentState.SUCCEEDED));
            await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(cloudPosts(other.commit())))
                    .endsWith("SUCCESSFUL"));
            assertThat(states(cloudPosts(held.commit()))).doesNotContain("SUCCESSFUL");
            lock.rollback();
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(cloudPosts(held.commit())))
                .endsWith("SUCCESSFUL"));
    }

    @Test
    void refnameTellsWhichBranchOrTagWasDeployed() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "production");

        produce(kafka, DeploymentEvents.withFields(deployment.next(DeploymentState.SUCCEEDED),
                java.util.Map.of("tag", "release-42")));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cloudPosts(deployment.commit())).hasSize(1));
        assertThat(body(cloudPosts(deployment.commit()).get(0)).path("refname").asText()).isEqualTo("release-42");
    }

    @Test
    void failedDeploymentPostsFailedWithTheReason() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");

        produce(kafka, deployment.next(DeploymentState.FAILED, "Target answered 502 Bad Gateway after 3 attempts"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cloudPosts(deployment.commit())).hasSize(1));
        JsonNode body = body(cloudPosts(deployment.commit()).get(0));
        assertThat(body.path("state").asText()).isEqualTo("FAILED");
        assertThat(body.path("description").asText()).contains("Target answered 502 Bad Gateway");
    }

    @Test
    void dataCenterDeploymentPostsToTheRepositorysBuildsEndpoint() {
        DeploymentEvents deployment = new DeploymentEvents(DATA_CENTER_REPO, "production");

        produce(kafka, deployment.next(DeploymentState.IN_PROGRESS));

        String path = "/rest/api/latest/projects/PROJ/repos/shop/commits/" + deployment.commit() + "/builds";
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(dataCenter.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(1));
        LoggedRequest request = dataCenter.findAll(postRequestedFor(urlEqualTo(path))).get(0);
        assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + StatusReporterTestResources.TOKEN);
        JsonNode body = body(request);
        assertThat(body.path("key").asText()).isEqualTo("trunkline-production");
        assertThat(body.path("state").asText()).isEqualTo("INPROGRESS");
        assertThat(body.path("name").asText()).isEqualTo("Trunkline production");
        assertThat(body.path("url").asText()).endsWith("/deployments/" + deployment.deploymentId());
        assertThat(body.path("description").asText()).isEqualTo("Deploying to production");
        assertThat(cloudPosts(deployment.commit())).isEmpty();
    }

    @Test
    void bitbucketOutageIsRetried() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");
        String scenario = "outage-" + deployment.commit();
        cloud.stubFor(post(urlEqualTo(cloudPath(deployment.commit()))).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs(Scenario.STARTED).willSetStateTo("recovered")
                .willReturn(aResponse().withStatus(503)));
        cloud.stubFor(post(urlEqualTo(cloudPath(deployment.commit()))).atPriority(1)
                .inScenario(scenario).whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(201)));

        produce(kafka, deployment.next(DeploymentState.SUCCEEDED));

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(states(cloudPosts(deployment.commit()))).containsExactly("SUCCESSFUL", "SUCCESSFUL"));
        assertThat(deploymentRow(deployment.deploymentId()).reportRefusal).isNull();
    }

    @Test
    void statusBitbucketRefusesIsNotRetriedAndTheRefusalIsRecordedOnTheDeployment() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");
        cloud.stubFor(post(urlEqualTo(cloudPath(deployment.commit()))).atPriority(1)
                .willReturn(aResponse().withStatus(403).withBody("{\"error\":{\"message\":\"Forbidden\"}}")));
        DeploymentEvents after = new DeploymentEvents(CLOUD_REPO, "staging");

        produce(kafka, deployment.next(DeploymentState.IN_PROGRESS));
        // a later event of the same partition is reported: the refusal held nothing up
        produce(kafka, after.next(DeploymentState.SUCCEEDED));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(cloudPosts(after.commit())).hasSize(1));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(deploymentRow(deployment.deploymentId()).reportRefusal).contains("403").contains("Forbidden"));
        assertThat(cloudPosts(deployment.commit())).hasSize(1); // a 403 is not retried
        Deployment row = deploymentRow(deployment.deploymentId());
        assertThat(row.state).isEqualTo(DeploymentState.IN_PROGRESS);
        assertThat(row.reportRefusedAt).isNotNull();
    }

    @Test
    void malformedEventGoesToTheDeadLetterTopicWithWhyAndWhereFrom() {
        ConsumerTask<String, String> deadLetters = deadLetters();
        UUID id = UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, id.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, "io.trunkline.deployment.queued".getBytes(StandardCharsets.UTF_8));

        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.DEPLOYMENT_STATUS, null,
                "bitbucket-cloud:acme/shop/staging", "{\"state\": 42", headers)).awaitCompletion();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(deadLetters.getRecords())
                .anySatisfy(record -> assertThat(idOf(record)).isEqualTo(id.toString())));
        ConsumerRecord<String, String> dead = deadLetters.getRecords().stream()
                .filter(record -> id.toString().equals(idOf(record))).findFirst().orElseThrow();
        deadLetters.stop();
        assertThat(dead.key()).isEqualTo("bitbucket-cloud:acme/shop/staging");
        assertThat(dead.value()).isEqualTo("{\"state\": 42");
        assertThat(header(dead, DeadLetters.REASON)).contains("not a valid io.trunkline.deployment.queued event");
        assertThat(header(dead, DeadLetters.TOPIC)).isEqualTo(Topics.DEPLOYMENT_STATUS);
        assertThat(header(dead, DeadLetters.CONSUMER)).isEqualTo(DeploymentReporting.CONSUMER);
        assertThat(header(dead, DeadLetters.PARTITION)).matches("\\d+");
        assertThat(header(dead, DeadLetters.OFFSET)).matches("\\d+");
    }

    @Test
    void eventOfAnUnknownTypeGoesToTheDeadLetterTopic() {
        ConsumerTask<String, String> deadLetters = deadLetters();
        UUID id = UUID.randomUUID();
        RecordHeaders headers = new RecordHeaders();
        headers.add(CloudEventHeaders.ID, id.toString().getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.TYPE, "io.trunkline.deployment-v2.queued".getBytes(StandardCharsets.UTF_8));

        kafka.produceStrings().fromRecords(new ProducerRecord<>(Topics.DEPLOYMENT_STATUS, null,
                "bitbucket-cloud:acme/shop/staging", "{}", headers)).awaitCompletion();

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(deadLetters.getRecords())
                .anySatisfy(record -> {
                    assertThat(idOf(record)).isEqualTo(id.toString());
                    assertThat(header(record, DeadLetters.REASON))
                            .isEqualTo("unknown event type io.trunkline.deployment-v2.queued");
                }));
        deadLetters.stop();
    }

    @Test
    void databaseOutageIsWaitedOutAndTheEventReportedOnce() {
        DeploymentEvents deployment = new DeploymentEvents(CLOUD_REPO, "staging");
        DeploymentStateChanged succeeded = deployment.next(DeploymentState.SUCCEEDED);

        try (DatabaseOutage outage = DatabaseOutage.begin("status_reporter")) {
            produce(kafka, succeeded);
            await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body(containsString("retrying since")));
            assertThat(cloudPosts(deployment.commit())).isEmpty();
        }

        // the test's own pooled connections died with the outage: its first reads afterwards may fail
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() ->
                assertThat(deploymentRow(deployment.deploymentId()).state).isEqualTo(DeploymentState.SUCCEEDED));
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(states(cloudPosts(deployment.commit()))).containsExactly("SUCCESSFUL"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private ConsumerTask<String, String> deadLetters() {
        return kafka.consumeStrings()
                .withGroupId("dead-letter-test-" + UUID.randomUUID())
                .withOffsetReset(org.apache.kafka.clients.consumer.OffsetResetStrategy.EARLIEST)
                .fromTopics(Topics.deadLetter(Topics.DEPLOYMENT_STATUS));
    }

    private static String idOf(ConsumerRecord<String, String> record) {
        UUID id = CloudEventHeaders.read(record.headers()).id();
        return id == null ? null : id.toString();
    }

    private static Deployment deploymentRow(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> readModel().find(id).orElse(null));
    }

    private static DeploymentReadModel readModel() {
        return Arc.container().instance(DeploymentReadModel.class).get();
    }

    private List<LoggedRequest> cloudPosts(String commit) {
        return cloud.findAll(postRequestedFor(urlEqualTo(cloudPath(commit))));
    }

    private static String cloudPath(String commit) {
        return "/2.0/repositories/" + CLOUD_REPO.workspace() + "/" + CLOUD_REPO.slug() + "/commit/" + commit
                + "/statuses/build";
    }

    private static List<String> states(List<LoggedRequest> requests) {
        return requests.stream().map(r -> body(r).path("state").asText()).toList();
    }

    private static JsonNode body(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
