package io.trunkline.status.service;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.DatabaseOutage;
import io.trunkline.infra.test.InjectWireMock;
import io.trunkline.status.DeploymentEvents;
import io.trunkline.status.ShortTimeoutsProfile;
import io.trunkline.status.StatusReporterTestResources;
import io.trunkline.status.persistence.Deployment;
import io.trunkline.status.persistence.DeploymentReadModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The durable delivery queue against WireMock Bitbucket servers that rate-limit, time out and recover. */
@QuarkusTest
@TestProfile(ShortTimeoutsProfile.class)
class BitbucketDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static KafkaCompanion kafka;

    @InjectWireMock(StatusReporterTestResources.BITBUCKET_CLOUD)
    WireMockServer cloud;

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

    @Test
    void rateLimitIsWaitedOutForRetryAfterAndOnlyTheLatestStateIsPostedThen() {
        RepositoryRef repository = repository("limited");
        DeploymentEvents deployment = new DeploymentEvents(repository, "staging");
        String path = cloudPath(repository, deployment.commit());
        String scenario = "rate-limit-" + deployment.commit();
        cloud.stubFor(post(urlEqualTo(path)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("limited")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3")));
        cloud.stubFor(post(urlEqualTo(path)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs("limited").willReturn(aResponse().withStatus(201)));

        produce(kafka, deployment.next(DeploymentState.QUEUED));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(posts(path)).hasSize(1));
        produce(kafka, deployment.next(DeploymentState.IN_PROGRESS), deployment.next(DeploymentState.SUCCEEDED));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(row(deployment.deploymentId()).state)
                .isEqualTo(DeploymentState.SUCCEEDED));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(posts(path))).containsExactly("INPROGRESS", "SUCCESSFUL"));
        List<LoggedRequest> posts = posts(path);
        assertThat(gap(posts.get(0), posts.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(2_900));
    }

    @Test
    void slowBitbucketTimesOutAndTheStatusIsPostedOnALaterAttempt() {
        RepositoryRef repository = repository("slow");
        DeploymentEvents deployment = new DeploymentEvents(repository, "staging");
        String path = cloudPath(repository, deployment.commit());
        String scenario = "slow-" + deployment.commit();
        cloud.stubFor(post(urlEqualTo(path)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("fast")
                .willReturn(aResponse().withStatus(201).withFixedDelay(3_000)));
        cloud.stubFor(post(urlEqualTo(path)).atPriority(1).inScenario(scenario)
                .whenScenarioStateIs("fast").willReturn(aResponse().withStatus(201)));

        produce(kafka, deployment.next(DeploymentState.FAILED, "Target answered 500"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(states(posts(path))).containsExactly("FAILED", "FAILED"));
        assertThat(row(deployment.deploymentId()).reportRefusal).isNull();
    }

    @Test
    void dataCenterIsToldCancelledForAStoppedDeploymentWithTheFullRef() {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_DATA_CENTER, "PROJ", "stopped");
        DeploymentEvents deployment = new DeploymentEvents(repository, "staging");
        String path = "/rest/api/latest/projects/PROJ/repos/stopped/commits/" + deployment.commit() + "/builds";
        dataCenter.stubFor(post(urlEqualTo(path)).atPriority(1).willReturn(aResponse().withStatus(204)));

        produce(kafka, DeploymentEvents.withFields(deployment.next(DeploymentState.SUPERSEDED), Map.of("branch", "main")));

        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(dataCenter.findAll(postRequestedFor(urlEqualTo(path)))).hasSize(1));
        JsonNode body = body(dataCenter.findAll(postRequestedFor(urlEqualTo(path))).get(0));
        assertThat(body.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(body.path("key").asText()).isEqualTo("trunkline-staging");
        assertThat(body.path("ref").asText()).isEqualTo("refs/heads/main");
        assertThat(body.has("refname")).isFalse();
    }

    @Test
    void aMinuteOf429sLosesNothingAndPostsEachCommitsFinalStatusOnce() {
        RepositoryRef repository = repository("storm");
        StubMapping storm = cloud.stubFor(post(urlPathMatching("/2.0/repositories/acme/storm/commit/.*"))
                .atPriority(1).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "5")));
        List<DeploymentEvents> deployments = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            DeploymentEvents deployment = new DeploymentEvents(repository, "env-" + i);
            deployments.add(deployment);
            produce(kafka, deployment.next(DeploymentState.QUEUED), deployment.next(DeploymentState.IN_PROGRESS),
                    deployment.next(i % 3 == 0 ? DeploymentState.FAILED : DeploymentState.SUCCEEDED));
        }

        // for a minute Bitbucket says 429: every request waits the 5 s it asks for, however many updates pile up
        await().during(Duration.ofSeconds(60)).atMost(Duration.ofSeconds(65)).untilAsserted(() -> {
            List<LoggedRequest> throttled = stormPosts();
            for (int i = 1; i < throttled.size(); i++) {
                assertThat(gap(throttled.get(i - 1), throttled.get(i))).isGreaterThanOrEqualTo(Duration.ofMillis(4_900));
            }
        });
        assertThat(stormPosts()).hasSizeBetween(10, 14);
        for (DeploymentEvents deployment : deployments) {
            assertThat(row(deployment.deploymentId()).state).isIn(DeploymentState.SUCCEEDED, DeploymentState.FAILED);
        }

        long stormEnded = System.currentTimeMillis();
        cloud.removeStub(storm);
        cloud.stubFor(post(urlPathMatching("/2.0/repositories/acme/storm/commit/.*"))
                .atPriority(2).willReturn(aResponse().withStatus(201)));
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (int i = 0; i < deployments.size(); i++) {
                List<LoggedRequest> posts = posts(cloudPath(repository, deployments.get(i).commit()));
                assertThat(posts).isNotEmpty();
                assertThat(body(posts.get(posts.size() - 1)).path("state").asText())
                        .isEqualTo(i % 3 == 0 ? "FAILED" : "SUCCESSFUL");
            }
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pending()).isZero());
        await().atMost(PATIENCE).untilAsserted(() -> io.restassured.RestAssured.given().get("/q/metrics").then()
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*trunkline_bitbucket_deliveries_total\\{[^}]*outcome=\"rate_limited\".*"))
                .body(org.hamcrest.Matchers.matchesPattern("(?s).*\ntrunkline_bitbucket_deliveries_pending(\\{\\})? 0(\\.0)?\n.*")));
        for (DeploymentEvents deployment : deployments) {
            // collapsed: once Bitbucket answers again, each commit gets its final status in one post
            List<LoggedRequest> afterStorm = posts(cloudPath(repository, deployment.commit())).stream()
                    .filter(request -> request.getLoggedDate().getTime() >= stormEnded).toList();
            assertThat(afterStorm).hasSize(1);
        }
    }

    @Test
    void databaseLostWhileBitbucketTakesAStatusIsWaitedOutAndTheStatusIsNotPostedAgain() {
        RepositoryRef repository = repository("settle");
        DeploymentEvents deployment = new DeploymentEvents(repository, "staging");
        String path = cloudPath(repository, deployment.commit());
        cloud.stubFor(post(urlEqualTo(path)).atPriority(1)
                .willReturn(aResponse().withStatus(201).withFixedDelay(1_000)));

        produce(kafka, deployment.next(DeploymentState.SUCCEEDED));
        await().atMost(PATIENCE).until(() -> !posts(path).isEmpty()); // Bitbucket holds its answer for a second
        try (DatabaseOutage outage = DatabaseOutage.begin("status_reporter")) {
            await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body(containsString("status-reporter/bitbucket-delivery")));
        }

        // the test's own pooled connections died with the outage: its first reads afterwards may fail
        await().atMost(PATIENCE).ignoreExceptions().until(() -> pending(repository) == 0);
        assertThat(states(posts(path))).containsExactly("SUCCESSFUL");
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void updatesOfDifferentCommitsArePostedSideBySide() {
        RepositoryRef repository = repository("side-by-side");
        // each post takes Bitbucket 1 s to answer: posted one after another, no two would be less than 1 s apart
        StubMapping slow = cloud.stubFor(post(urlPathMatching("/2.0/repositories/acme/side-by-side/commit/.*")).atPriority(1)
                .willReturn(aResponse().withStatus(201).withFixedDelay(1_000)));
        List<DeploymentEvents> deployments = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            DeploymentEvents deployment = new DeploymentEvents(repository, "parallel-" + i);
            deployments.add(deployment);
            produce(kafka, deployment.next(DeploymentState.SUCCEEDED));
        }

        await().atMost(PATIENCE).untilAsserted(() -> {
            for (DeploymentEvents deployment : deployments) {
                assertThat(posts(cloudPath(repository, deployment.commit()))).hasSize(1);
            }
        });
        List<LoggedRequest> all = cloud.findAll(postRequestedFor(urlPathMatching("/2.0/repositories/acme/side-by-side/commit/.*")));
        all = all.stream().sorted(java.util.Comparator.comparing(LoggedRequest::getLoggedDate)).toList();
        Duration closest = Duration.ofDays(1);
        for (int i = 1; i < all.size(); i++) {
            closest = closest.compareTo(gap(all.get(i - 1), all.get(i))) < 0 ? closest : gap(all.get(i - 1), all.get(i));
        }
        assertThat(closest).isLessThan(Duration.ofMillis(900));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(pending(repository)).isZero());
        cloud.removeStub(slow);
    }

    private List<LoggedRequest> stormPosts() {
        return cloud.findAll(postRequestedFor(urlPathMatching("/2.0/repositories/acme/storm/commit/.*")));
    }

    private static RepositoryRef repository(String slug) {
        return new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", slug);
    }

    private static String cloudPath(RepositoryRef repository, String commit) {
        return "/2.0/repositories/" + repository.workspace() + "/" + repository.slug() + "/commit/" + commit
                + "/statuses/build";
    }

    private List<LoggedRequest> posts(String path) {
        return cloud.findAll(postRequestedFor(urlEqualTo(path)));
    }

    private static Duration gap(LoggedRequest first, LoggedRequest second) {
        return Duration.ofMillis(second.getLoggedDate().getTime() - first.getLoggedDate().getTime());
    }

    private static long pending() {
        return pending(repository("storm"));
    }

    private static long pending(RepositoryRef repository) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = Arc.container().instance(AgroalDataSource.class).get().getConnection();
                    PreparedStatement count = connection.prepareStatement(
                            "SELECT count(*) FROM bitbucket_delivery WHERE workspace = ? AND slug = ?")) {
                count.setString(1, repository.workspace());
                count.setString(2, repository.slug());
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static Deployment row(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> Arc.container().instance(DeploymentReadModel.class).get().find(id).orElse(null));
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
