package io.trunkline.promotion.service;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.awaitState;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code POST /api/deployments/{id}/cancel} from every state a deployment can be cancelled in, and where it cannot. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class DeploymentCancelTest {

    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static ValidatableResponse cancel(UUID deploymentId, String reason) {
        return given().contentType(ContentType.JSON)
                .body(reason == null ? "{}" : "{\"reason\": \"" + reason + "\"}")
                .post("/api/deployments/" + deploymentId + "/cancel")
                .then();
    }

    private static void awaitCancelledWith(UUID deploymentId, String reason) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(deploymentId))
                .extracting(DeploymentStateChanged::state, DeploymentStateChanged::reason)
                .last().isEqualTo(tuple(DeploymentState.CANCELLED, reason)));
    }

    @Test
    void aRunningDeploymentIsAskedToStopAndKeepsTheEnvironmentUntilItsRunEnds() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        DeploymentRequested running = topics.request(repository, 1);
        String pipeline = "https://bitbucket.org/" + repository.fullName() + "/pipelines/results/42";
        topics.report(running, DeploymentState.IN_PROGRESS, "Bitbucket pipeline #42 started", pipeline);
        awaitState(running.deploymentId(), DeploymentState.IN_PROGRESS);
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        topics.deploymentOf(repository, second, DeploymentState.QUEUED);

        cancel(running.deploymentId(), "wrong build").statusCode(200)
                .body("id", equalTo(running.deploymentId().toString()))
                .body("state", equalTo("IN_PROGRESS"))
                .body("targetUrl", equalTo(pipeline))
                .body("cancelRequested", equalTo("cancelled by local: wrong build"));
        cancel(running.deploymentId(), "again").statusCode(200)
                .body("cancelRequested", equalTo("cancelled by local: wrong build"));

        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.cancelRequests(repository))
                .singleElement()
                .satisfies(request -> {
                    assertThat(request.deploymentId()).isEqualTo(running.deploymentId());
                    assertThat(request.environment()).isEqualTo("staging");
                    assertThat(request.requestedBy()).isEqualTo("local");
                    assertThat(request.reason()).isEqualTo("cancelled by local: wrong build");
                }));
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() -> {
            assertThat(topics.requests(repository)).as("the environment stays with the run until it ends").hasSize(1);
            assertThat(stateOf(running.deploymentId())).isEqualTo(DeploymentState.IN_PROGRESS);
        });

        // the target could not be stopped: the run ends on its own, and the deployment ends CANCELLED
        topics.report(running, DeploymentState.SUCCEEDED);

        awaitCancelledWith(running.deploymentId(),
                "cancelled by local: wrong build (the run ended SUCCEEDED before it could be stopped)");
        assertThat(topics.states(running.deploymentId())).last().extracting(DeploymentStateChanged::targetUrl)
                .as("the run's link, passed on with the state promotion-service decided").isEqualTo(pipeline);
        assertThat(topics.request(repository, 2).commit()).isEqualTo(second);
        cancel(running.deploymentId(), null).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:deployment-finished"))
                .body("detail", containsString("CANCELLED"));
    }

    @Test
    void aDispatchedDeploymentThatDeployServiceStopsEndsCancelled() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        topics.publish(repository, RefType.BRANCH, "main", null, commit());
        DeploymentRequested queued = topics.request(repository, 1);

        cancel(queued.deploymentId(), null).statusCode(200)
                .body("state", equalTo("QUEUED"))
                .body("cancelRequested", equalTo("cancelled by local"));
        await().atMost(WAIT).until(() -> topics.cancelRequests(repository).size() == 1);
        topics.report(queued, DeploymentState.CANCELLED, "stopped before it started");

        await().atMost(WAIT).until(() -> stateOf(queued.deploymentId()) == DeploymentState.CANCELLED);
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", queued.commit(), second);
        assertThat(topics.request(repository, 2).commit()).isEqualTo(second);
        given().contentType(ContentType.JSON).body("{}").post("/api/deployments/" + queued.deploymentId() + "/cancel")
                .then().statusCode(409);
    }

    @Test
    void aDeploymentWaitingForItsTurnIsCancelledAtOnceAndLeavesTheQueue() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        DeploymentRequested running = topics.request(repository, 1);
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        UUID waiting = topics.deploymentOf(repository, second, DeploymentState.QUEUED);

        cancel(waiting, "not this one").statusCode(200)
                .body("state", equalTo("CANCELLED"))
                .body("reason", equalTo("cancelled by local: not this one"))
                .body("cancelRequested", nullValue());

        awaitCancelledWith(waiting, "cancelled by local: not this one");
        topics.report(running, DeploymentState.SUCCEEDED);
        awaitState(running.deploymentId(), DeploymentState.SUCCEEDED);
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(topics.requests(repository)).extracting(DeploymentRequested::commit).containsExactly(first));
        assertThat(topics.cancelRequests(repository)).isEmpty();
    }

    @Test
    void aDeploymentWaitingForApprovalIsCancelledAtOnce() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "production", "trigger": "trunk", "approval": true,
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{commit}" } } ]""");
        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        UUID waiting = topics.deploymentOf(repository, commit, DeploymentState.WAITING_APPROVAL);

        cancel(waiting, "not today").statusCode(200).body("state", equalTo("CANCELLED"));

        awaitCancelledWith(waiting, "cancelled by local: not today");
        assertThat(topics.requests(repository)).isEmpty();
    }

    @Test
    void anEndedOrUnknownDeploymentCannotBeCancelled() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        topics.publish(repository, RefType.BRANCH, "main", null, commit());
        DeploymentRequested request = topics.request(repository, 1);
        topics.report(request, DeploymentState.SUCCEEDED);
        awaitState(request.deploymentId(), DeploymentState.SUCCEEDED);

        cancel(request.deploymentId(), "too late").statusCode(409)
                .contentType("application/problem+json")
                .body("status", equalTo(409))
                .body("detail", containsString("SUCCEEDED"));
        assertThat(stateOf(request.deploymentId())).isEqualTo(DeploymentState.SUCCEEDED);
        cancel(UUID.randomUUID(), "no such").statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:deployment-not-found"));
        given().post("/api/deployments/not-an-id/cancel").then().statusCode(404)
                .contentType("application/problem+json");
        // a body is optional
        given().post("/api/deployments/" + request.deploymentId() + "/cancel").then().statusCode(409);
        assertThat(topics.cancelRequests(repository)).isEmpty();
    }
}
