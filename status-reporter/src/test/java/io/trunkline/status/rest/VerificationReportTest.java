package io.trunkline.status.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.VerificationResult;
import io.trunkline.events.VerificationResult.CheckResult;
import io.trunkline.status.DeploymentEvents;
import io.trunkline.status.ShortTimeoutsProfile;
import io.trunkline.status.service.CommitStatuses;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A deployment's verify checks as status-reporter shows them: the {@code verification} section of
 * {@code GET /api/deployments/{id}}, the commit status naming the check that failed, and a production
 * deployment whose checks failed counted by DORA's change failure rate.
 */
@QuarkusTest
@TestSecurity(user = "viewer", roles = "viewer") // not about authentication: AuthorizationTest is
@TestProfile(ShortTimeoutsProfile.class)
class VerificationReportTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final VerificationResult FAILED = new VerificationResult(VerificationResult.FAILED, "smoke tests",
            List.of(new CheckResult("http check 1", "http", VerificationResult.PASSED, 3, "answered 200 at attempt 3", null),
                    new CheckResult("smoke tests", "postman", VerificationResult.FAILED, 1,
                            "2 requests, 3 of 4 assertions passed; first failure: product / names the product: "
                                    + "expected 'Teapot' to deeply equal 'Kettle'",
                            new VerificationResult.PostmanSummary(2, 0, 4, 1, List.of(new VerificationResult.Failure(
                                    "product / names the product", "expected 'Teapot' to deeply equal 'Kettle'"))))));
    private static KafkaCompanion kafka;

    @BeforeAll
    static void connect() {
        kafka = DeploymentEvents.kafka();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    private static DeploymentStateChanged with(DeploymentStateChanged event, VerificationResult verification) {
        return event.withVerification(verification);
    }

    @Test
    void theDeploymentShowsItsChecksAndProductionCountsTheFailure() {
        RepositoryRef repository = OpsApiTest.repository();
        Instant start = Instant.now().minus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        DeploymentEvents good = new DeploymentEvents(repository, "production");
        DeploymentEvents bad = new DeploymentEvents(repository, "production");
        produce(kafka,
                good.at(start, DeploymentState.IN_PROGRESS, "deploying"),
                with(good.at(start.plusSeconds(60), DeploymentState.SUCCEEDED, "target answered 200; verified: 1 check"
                        + " passed"), new VerificationResult(VerificationResult.PASSED, null, List.of(FAILED.checks().get(0)))),
                bad.at(start.plusSeconds(120), DeploymentState.IN_PROGRESS, "deploying"),
                with(bad.at(start.plusSeconds(150), DeploymentState.IN_PROGRESS, "verifying"),
                        new VerificationResult(VerificationResult.RUNNING, null, List.of(FAILED.checks().get(0)))),
                with(bad.at(start.plusSeconds(180), DeploymentState.FAILED, "verification failed: smoke tests: "
                        + FAILED.checks().get(1).detail()), FAILED));

        await().atMost(PATIENCE).untilAsserted(() -> given().get("/api/deployments/" + bad.deploymentId())
                .then().statusCode(200).body("deployment.state", org.hamcrest.Matchers.equalTo("FAILED")));
        JsonPath detail = given().get("/api/deployments/" + bad.deploymentId()).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("verification.outcome")).isEqualTo("failed");
        assertThat(detail.getString("verification.failedCheck")).isEqualTo("smoke tests");
        assertThat(detail.getList("verification.checks.name")).containsExactly("http check 1", "smoke tests");
        assertThat(detail.getInt("verification.checks[1].summary.assertionsFailed")).isEqualTo(1);
        assertThat(detail.getString("verification.checks[1].summary.failures[0].name"))
                .isEqualTo("product / names the product");
        assertThat(given().get("/api/deployments/" + good.deploymentId()).then().statusCode(200).extract().jsonPath()
                .getString("verification.outcome")).isEqualTo("passed");

        JsonPath dora = given().queryParam("repository", repository.fullName()).get("/api/metrics/dora").then()
                .statusCode(200).extract().jsonPath();
        assertThat(dora.getLong("changeFailureRate.deployments")).isEqualTo(2);
        // the deployment whose checks failed, and the one before it, followed within 24 h by that failure
        assertThat(dora.getLong("changeFailureRate.failedChanges")).isEqualTo(2);
        assertThat(dora.getLong("timeToRestore.failures")).isEqualTo(1);
    }

    @Test
    void theCommitStatusSaysWhichCheckFailed() {
        DeploymentEvents deployment = new DeploymentEvents(OpsApiTest.repository(), "staging");
        assertThat(CommitStatuses.description(with(deployment.next(DeploymentState.FAILED, "verification failed"),
                FAILED))).isEqualTo("Verification in staging failed: check smoke tests: 2 requests, 3 of 4 assertions"
                + " passed; first failure: product / names the product: expected 'Teapot' to deeply equal 'Kettle'");
        assertThat(CommitStatuses.description(with(deployment.next(DeploymentState.IN_PROGRESS, "verifying"),
                new VerificationResult(VerificationResult.RUNNING, null, List.of()))))
                .isEqualTo("Deployed to staging; verifying (0 checks passed so far)");
        assertThat(CommitStatuses.description(deployment.next(DeploymentState.FAILED, "target answered 500")))
                .isEqualTo("target answered 500");
    }
}
