package io.trunkline.status.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.Topics;
import io.trunkline.status.DeploymentEvents;
import io.trunkline.status.ShortTimeoutsProfile;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The DORA figures of a hand-computed production history (times from day D0, ten days ago, UTC):
 * <pre>
 * commit  pushed        deployment                          lead time
 * c1      D0 00:00      P1 D0   01:00 queued, 02:00 OK       2 h    (from the push)
 * c2      (no push)     S2 staging D1 00:00 (first seen), P2 D1 04:00 OK   4 h (from first seen)
 * c3      D2 00:00      P3 D2 06:00 FAILED                   incident opens
 * c4      D2 06:30      P4 D2 08:00 OK                       1.5 h, restores P3 after 2 h
 * c5      D3 00:00      P5 D3 10:00 OK                       10 h
 * c4 again              P6 D3 12:00 OK: a rollback to c4      29.5 h (from c4's push)
 * </pre>
 * Successes: 5 (5 / 30 days = 0.1667 a day). Lead times 5400, 7200, 14400, 36000, 106200 s: median
 * 14400, p90 = 36000 + 0.6 × 70200 = 78120. Finished: 6; failed changes: P3 (failed) and P5 (rolled
 * back within 24 h); P2 is followed by P3's failure only after 26 h: 2 / 6 = 0.3333. Time to restore:
 * one incident, 7200 s.
 */
@QuarkusTest
@TestSecurity(user = "viewer", roles = "viewer") // not about authentication: AuthorizationTest is
@TestProfile(ShortTimeoutsProfile.class)
class DoraMetricsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static KafkaCompanion kafka;

    @BeforeAll
    static void connect() {
        kafka = DeploymentEvents.kafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void figuresMatchTheHandComputedHistory() {
        RepositoryRef repository = OpsApiTest.repository();
        LocalDate d0 = LocalDate.now(ZoneOffset.UTC).minusDays(10);
        String c1 = DeploymentEvents.randomCommit();
        String c2 = DeploymentEvents.randomCommit();
        String c3 = DeploymentEvents.randomCommit();
        String c4 = DeploymentEvents.randomCommit();
        String c5 = DeploymentEvents.randomCommit();
        push(repository, c1, at(d0, 0, "00:00"));
        push(repository, c3, at(d0, 2, "00:00"));
        push(repository, c4, at(d0, 2, "06:30"));
        push(repository, c5, at(d0, 3, "00:00"));

        DeploymentEvents p1 = new DeploymentEvents(repository, "production", c1);
        DeploymentEvents s2 = new DeploymentEvents(repository, "staging", c2);
        DeploymentEvents p2 = new DeploymentEvents(repository, "production", c2);
        DeploymentEvents p3 = new DeploymentEvents(repository, "production", c3);
        DeploymentEvents p4 = new DeploymentEvents(repository, "production", c4);
        DeploymentEvents p5 = new DeploymentEvents(repository, "production", c5);
        DeploymentEvents p6 = new DeploymentEvents(repository, "production", c4);
        produce(kafka,
                p1.at(at(d0, 0, "01:00"), DeploymentState.QUEUED, null), p1.at(at(d0, 0, "02:00"), DeploymentState.SUCCEEDED, null),
                s2.at(at(d0, 1, "00:00"), DeploymentState.QUEUED, null), s2.at(at(d0, 1, "00:30"), DeploymentState.SUCCEEDED, null),
                p2.at(at(d0, 1, "03:00"), DeploymentState.QUEUED, null), p2.at(at(d0, 1, "04:00"), DeploymentState.SUCCEEDED, null),
                p3.at(at(d0, 2, "05:00"), DeploymentState.QUEUED, null), p3.at(at(d0, 2, "06:00"), DeploymentState.FAILED, null),
                p4.at(at(d0, 2, "07:00"), DeploymentState.QUEUED, null), p4.at(at(d0, 2, "08:00"), DeploymentState.SUCCEEDED, null),
                p5.at(at(d0, 3, "09:00"), DeploymentState.QUEUED, null), p5.at(at(d0, 3, "10:00"), DeploymentState.SUCCEEDED, null),
                p6.at(at(d0, 3, "11:30"), DeploymentState.QUEUED, null), p6.at(at(d0, 3, "12:00"), DeploymentState.SUCCEEDED, null));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(dora(repository).getLong("deploymentFrequency.deployments"))
                .isEqualTo(5));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(dora(repository).getDouble("leadTimeForChanges.medianSeconds"))
                .isEqualTo(14400.0));
        JsonPath dora = dora(repository);

        assertThat(dora.getString("environment")).isEqualTo("production");
        assertThat(dora.getInt("days")).isEqualTo(30);
        assertThat(dora.getDouble("deploymentFrequency.perDay")).isEqualTo(0.1667);
        assertThat(dora.getLong("leadTimeForChanges.samples")).isEqualTo(5);
        assertThat(dora.getDouble("leadTimeForChanges.p90Seconds")).isEqualTo(78120.0);
        assertThat(dora.getLong("changeFailureRate.deployments")).isEqualTo(6);
        assertThat(dora.getLong("changeFailureRate.failedChanges")).isEqualTo(2);
        assertThat(dora.getDouble("changeFailureRate.rate")).isEqualTo(0.3333);
        assertThat(dora.getLong("timeToRestore.failures")).isEqualTo(1);
        assertThat(dora.getLong("timeToRestore.restored")).isEqualTo(1);
        assertThat(dora.getDouble("timeToRestore.medianSeconds")).isEqualTo(7200.0);
        List<Map<String, Object>> daily = dora.getList("daily");
        assertThat(daily).hasSize(30);
        assertThat(day(daily, d0)).containsEntry("deployments", 1).containsEntry("failures", 0)
                .containsEntry("medianLeadTimeSeconds", 7200.0f);
        assertThat(day(daily, d0.plusDays(2))).containsEntry("deployments", 1).containsEntry("failures", 1)
                .containsEntry("medianLeadTimeSeconds", 5400.0f);
        assertThat(day(daily, d0.plusDays(3))).containsEntry("deployments", 2)
                .containsEntry("medianLeadTimeSeconds", 71100.0f);
        assertThat(day(daily, d0.plusDays(4))).containsEntry("deployments", 0).containsEntry("medianLeadTimeSeconds", null);

        JsonPath staging = given().queryParam("repository", repository.fullName()).queryParam("environment", "staging")
                .queryParam("days", 14).get("/api/metrics/dora").then().statusCode(200).extract().jsonPath();
        assertThat(staging.getLong("deploymentFrequency.deployments")).isEqualTo(1);
        assertThat(staging.getList("daily")).hasSize(14);
    }

    private static Map<String, Object> day(List<Map<String, Object>> daily, LocalDate date) {
        return daily.stream().filter(day -> date.toString().equals(day.get("date"))).findFirst().orElseThrow();
    }

    private static JsonPath dora(RepositoryRef repository) {
        return given().queryParam("repository", repository.fullName()).get("/api/metrics/dora").then().statusCode(200)
                .extract().jsonPath();
    }

    private static Instant at(LocalDate d0, int day, String time) {
        return d0.plusDays(day).atTime(java.time.LocalTime.parse(time)).toInstant(ZoneOffset.UTC);
    }

    private static void push(RepositoryRef repository, String commit, Instant at) {
        RefsPushed pushed = new RefsPushed(UUID.randomUUID(), at, repository,
                List.of(new RefChange(RefType.BRANCH, "main", null, commit, false)), "alice", UUID.randomUUID().toString());
        kafka.produceStrings().fromRecords(CloudEventHeaders.record(Topics.SCM_EVENTS, pushed, "webhook-ingest"))
                .awaitCompletion();
    }
}
