package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.EventCodec;
import io.trunkline.infra.test.DatabaseOutage;
import io.trunkline.infra.test.InjectWireMock;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs that lose their worker are taken over, live workers keep their runs, outcomes survive a
 * database outage, and requests that come too late are not started.
 */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class RunLeasesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final String DEAD_OWNER = "deploy-service-killed-" + UUID.randomUUID();

    @InjectWireMock("target")
    WireMockServer target;

    @Inject
    DeploymentRuns runs;

    @Inject
    AgroalDataSource dataSource;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    private String targetUrl(String prefix) {
        return "http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}";
    }

    private DeploymentRun run(UUID deploymentId) {
        return QuarkusTransaction.requiringNew().call(() -> runs.find(deploymentId).orElseThrow());
    }

    /** A run as an instance killed in the middle of the call leaves it: in progress, its lease expired a while ago. */
    private void leftByAKilledWorker(DeploymentRequested request) {
        QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement("""
                            INSERT INTO deployment_run (deployment_id, event_id, state, attempts, started_at, request,
                                                        lease_owner, lease_expires_at)
                            VALUES (?, ?, 'IN_PROGRESS', 0, now() - INTERVAL '1 minute', ?, ?,
                                    now() - INTERVAL '20 seconds')""")) {
                insert.setObject(1, request.deploymentId());
                insert.setObject(2, request.eventId());
                insert.setString(3, EventCodec.encode(request));
                insert.setString(4, DEAD_OWNER);
                return insert.executeUpdate();
            }
        });
    }

    @Test
    void runOfAKilledWorkerOnANonIdempotentTargetEndsFailedWithoutAnotherCall() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(200)));
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "production", "main",
                DeployTopics.http("POST", targetUrl(prefix), Map.of(), "{}"));

        leftByAKilledWorker(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.FAILED));
        DeploymentStateChanged failed = topics.statuses(request.deploymentId()).get(0);
        assertThat(failed.reason()).isEqualTo("outcome unknown: deploy-service stopped during the call");
        assertThat(failed.repository()).isEqualTo(request.repository());
        assertThat(failed.environment()).isEqualTo("production");
        assertThat(topics.statusRecords(request.deploymentId()).get(0).key()).isEqualTo(request.partitionKey());
        DeploymentRun run = run(request.deploymentId());
        assertThat(run.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(run.reason()).isEqualTo(failed.reason());
        target.verify(exactly(0), anyRequestedFor(urlPathMatching(prefix + "/.*")));
    }

    @Test
    void runOfAKilledWorkerOnAnIdempotentTargetIsCalledAgainAndSucceeds() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(200)));
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", targetUrl(prefix), Map.of(), "{}", true));

        leftByAKilledWorker(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.SUCCEEDED));
        assertThat(topics.statuses(request.deploymentId()).get(0).reason())
                .isEqualTo("target answered 200; called again after deploy-service stopped during an earlier call");
        target.verify(exactly(1), postRequestedFor(urlEqualTo(prefix + "/" + request.deploymentId())));
        DeploymentRun run = run(request.deploymentId());
        assertThat(run.state()).isEqualTo(DeploymentState.SUCCEEDED);
        assertThat(run.leaseOwner()).isNotEqualTo(DEAD_OWNER).startsWith("deploy-service-");
    }

    @Test
    void liveWorkerRenewsItsLeaseSoItsRunIsNotTakenOverDuringALongCall() {
        String prefix = "/t-" + UUID.randomUUID();
        Duration callLength = DeployTestProfile.LEASE_TTL.plusSeconds(1);
        target.stubFor(post(urlPathMatching(prefix + "/.*"))
                .willReturn(aResponse().withStatus(200).withFixedDelay((int) callLength.toMillis())));
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", targetUrl(prefix), Map.of(), "{}"));

        topics.send(request);

        // once the call has lasted longer than a lease, the lease is still running: it was renewed
        await().atMost(PATIENCE).untilAsserted(() -> {
            List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> {
                try (Connection connection = dataSource.getConnection();
                        PreparedStatement select = connection.prepareStatement("""
                                SELECT state, lease_expires_at > now(), now() > started_at + ? * INTERVAL '1 millisecond'
                                FROM deployment_run WHERE deployment_id = ?""")) {
                    select.setLong(1, DeployTestProfile.LEASE_TTL.toMillis());
                    select.setObject(2, request.deploymentId());
                    try (ResultSet row = select.executeQuery()) {
                        List<Object[]> found = new ArrayList<>();
                        while (row.next()) {
                            found.add(new Object[] {row.getString(1), row.getObject(2), row.getObject(3)});
                        }
                        return found;
                    }
                }
            });
            assertThat(rows).as("the run has been claimed").hasSize(1);
            Object[] lease = rows.get(0);
            assertThat(lease[0]).isEqualTo("IN_PROGRESS");
            assertThat(lease[2]).as("the call has lasted longer than one lease").isEqualTo(true);
            assertThat(lease[1]).as("the lease is still valid").isEqualTo(true);
        });
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        assertThat(topics.statuses(request.deploymentId()).get(1).reason()).isEqualTo("target answered 200");
        target.verify(exactly(1), anyRequestedFor(urlPathMatching(prefix + "/.*")));
    }

    @Test
    void outcomeOfACallAnsweredDuringADatabaseOutageIsRecordedAfterItAndTheTargetCalledOnce() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*"))
                .willReturn(aResponse().withStatus(201).withFixedDelay(1_500)));
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", targetUrl(prefix), Map.of(), "{}"));

        topics.send(request);
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(target.findAll(postRequestedFor(urlPathMatching(prefix + "/.*")))).hasSize(1));
        try (DatabaseOutage outage = DatabaseOutage.begin("deploy_service")) {
            // the target answered, the outcome cannot be written: the service says so and keeps trying
            await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                    .body(containsString("deploy-service/recording outcomes (deployment " + request.deploymentId())));
            assertThat(topics.statuses(request.deploymentId())).extracting(DeploymentStateChanged::state)
                    .containsExactly(DeploymentState.IN_PROGRESS);
        }

        // an event the relay had sent but not yet marked sent when the outage began is sent again after it, under
        // its own event id (at least once; consumers skip the copy): the distinct events are what counts
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(distinct(topics.statuses(request.deploymentId())))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        assertThat(distinct(topics.statuses(request.deploymentId())).get(1).reason()).isEqualTo("target answered 201");
        target.verify(exactly(1), anyRequestedFor(urlPathMatching(prefix + "/.*")));
        // the test's own pooled connections died with the outage: its first reads afterwards may fail
        await().atMost(PATIENCE).ignoreExceptions().untilAsserted(() -> {
            DeploymentRun run = run(request.deploymentId());
            assertThat(run.state()).isEqualTo(DeploymentState.SUCCEEDED);
            assertThat(run.attempts()).isEqualTo(1);
        });
        await().atMost(PATIENCE).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void requestConsumedAfterItsNotAfterIsNotStarted() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(200)));
        Instant notAfter = Instant.now().minusSeconds(60);
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", targetUrl(prefix), Map.of(), "{}"), notAfter);
        // same key, behind it: once it is done, the late request has surely been handled
        DeploymentRequested next = DeployTopics.request(request.repository(), "staging", "main",
                DeployTopics.http("POST", targetUrl(prefix), Map.of(), "{}"));

        topics.send(request);
        topics.send(request);
        topics.send(next);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(next.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        assertThat(topics.statuses(request.deploymentId())).singleElement().satisfies(failed -> {
            assertThat(failed.state()).isEqualTo(DeploymentState.FAILED);
            assertThat(failed.reason()).isEqualTo("not started before " + notAfter + ": promotion-service had given up");
        });
        target.verify(exactly(0), postRequestedFor(urlEqualTo(prefix + "/" + request.deploymentId())));
        DeploymentRun run = run(request.deploymentId());
        assertThat(run.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(run.attempts()).isZero();
    }

    /** The events in order of first appearance, each event id once. */
    private static List<DeploymentStateChanged> distinct(List<DeploymentStateChanged> events) {
        Map<UUID, DeploymentStateChanged> byId = new LinkedHashMap<>();
        events.forEach(event -> byId.putIfAbsent(event.eventId(), event));
        return List.copyOf(byId.values());
    }
}
