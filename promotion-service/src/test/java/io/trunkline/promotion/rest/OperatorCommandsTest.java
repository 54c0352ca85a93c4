package io.trunkline.promotion.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.awaitState;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Approve, redeploy and roll back with hold, release: through the API, on the real broker and database. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class OperatorCommandsTest {

    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static String environmentPath(RepositoryRef repository, String environment) {
        return "/api/repositories/" + repository.workspace() + "/" + repository.slug() + "/environments/" + environment;
    }

    private static ValidatableResponse redeploy(RepositoryRef repository, String environment, String commit) {
        return given().contentType(ContentType.JSON).body("{\"commit\": \"" + commit + "\"}")
                .post(environmentPath(repository, environment) + "/redeploy").then();
    }

    private static ValidatableResponse release(RepositoryRef repository, String environment) {
        return given().post(environmentPath(repository, environment) + "/release").then();
    }

    private static ValidatableResponse approve(UUID deploymentId) {
        return given().post("/api/deployments/" + deploymentId + "/approve").then();
    }

    @Test
    void aDeploymentWaitingForApprovalIsDispatchedOnceApproved() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "production", "trigger": "trunk", "approval": true,
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{commit}" } } ]""");
        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        UUID waiting = topics.deploymentOf(repository, commit, DeploymentState.WAITING_APPROVAL);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> topics.requests(repository).isEmpty());

        approve(waiting).statusCode(200)
                .body("id", equalTo(waiting.toString()))
                .body("state", equalTo("QUEUED"))
                .body("approvedBy", equalTo("local"))
                .body("reason", equalTo("approved by local"));

        DeploymentRequested request = topics.request(repository, 1);
        assertThat(request.deploymentId()).isEqualTo(waiting);
        assertThat(request.commit()).isEqualTo(commit);
        assertThat(topics.statesOf(waiting)).containsExactly(DeploymentState.WAITING_APPROVAL, DeploymentState.QUEUED);
        approve(waiting).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:not-waiting-for-approval"))
                .body("detail", containsString("QUEUED"));
        topics.succeed(request);
        approve(waiting).statusCode(409).body("type", equalTo("urn:trunkline:problem:deployment-finished"));
        approve(UUID.randomUUID()).statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aNewerCommitSupersedesOneWaitingForApproval() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "production", "trigger": "trunk", "approval": true,
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{commit}" } } ]""");
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        UUID older = topics.deploymentOf(repository, first, DeploymentState.WAITING_APPROVAL);
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        topics.deploymentOf(repository, second, DeploymentState.WAITING_APPROVAL);

        await().atMost(WAIT).until(() -> stateOf(older) == DeploymentState.SUPERSEDED);
        approve(older).statusCode(409);
    }

    @Test
    void aRollbackHoldsTheEnvironmentUntilReleased() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String good = commit();
        String bad = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, good);
        topics.succeed(topics.request(repository, 1));
        topics.publish(repository, RefType.BRANCH, "main", good, bad);
        topics.succeed(topics.request(repository, 2));

        redeploy(repository, "staging", bad.substring(0, 7)).statusCode(200)
                .body("commit", equalTo(bad))
                .body("requestedBy", equalTo("local"))
                .body("reason", equalTo("redeploy of " + bad.substring(0, 12) + " requested by local"));
        DeploymentRequested redeployOfCurrent = topics.request(repository, 3);
        assertThat(redeployOfCurrent.commit()).isEqualTo(bad);
        assertThat(redeployOfCurrent.branch()).isEqualTo("main");
        topics.succeed(redeployOfCurrent);
        release(repository, "staging").statusCode(409)
                .body("type", equalTo("urn:trunkline:problem:environment-not-held"));

        redeploy(repository, "staging", good).statusCode(200)
                .body("commit", equalTo(good))
                .body("state", equalTo("QUEUED"))
                .body("reason", equalTo("rollback to " + good.substring(0, 12) + " requested by local"));
        DeploymentRequested rollback = topics.request(repository, 4);
        assertThat(rollback.commit()).isEqualTo(good);
        topics.succeed(rollback);

        // a later trunk push waits for the release instead of undoing the rollback
        String next = commit();
        topics.publish(repository, RefType.BRANCH, "main", bad, next);
        UUID held = topics.deploymentOf(repository, next, DeploymentState.QUEUED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.latestState(held).reason())
                .isEqualTo("held after rollback to " + good.substring(0, 12) + " by local"));
        await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> topics.requests(repository).size() == 4);

        release(repository, "staging").statusCode(200)
                .body("environment", equalTo("staging"))
                .body("hold", nullValue())
                .body("running.id", equalTo(held.toString()))
                .body("waiting", hasSize(0));
        assertThat(topics.request(repository, 5).commit()).isEqualTo(next);
        release(repository, "staging").statusCode(409);
    }

    @Test
    void onlyACommitThatOnceSucceededThereCanBeRedeployed() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } },
                  { "name": "preview", "trigger": "pull-request",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/pr/{pr}" } } ]""");
        String failed = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, failed);
        DeploymentRequested request = topics.request(repository, 1);
        topics.report(request, DeploymentState.FAILED, "target answered 500");
        awaitState(request.deploymentId(), DeploymentState.FAILED);

        redeploy(repository, "staging", failed).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:commit-never-succeeded"))
                .body("detail", containsString("only a commit that once SUCCEEDED there"));
        redeploy(repository, "staging", commit()).statusCode(409);
        redeploy(repository, "production", failed).statusCode(404)
                .body("type", equalTo("urn:trunkline:problem:environment-not-found"));
        redeploy(repository, "preview", failed).statusCode(409)
                .body("type", equalTo("urn:trunkline:problem:preview-environment"));
        given().contentType(ContentType.JSON).body("{\"commit\": \"" + failed + "\"}")
                .post("/api/repositories/acme/never-configured/environments/staging/redeploy")
                .then().statusCode(404).body("detail", containsString("No configuration"));
        release(repository, "production").statusCode(404);
        redeploy(repository, "staging", "HEAD~1").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("commit"));
        given().contentType(ContentType.JSON).body("{}").post(environmentPath(repository, "staging") + "/redeploy")
                .then().statusCode(400).body("errors.field", hasItem("commit"));
        assertThat(topics.requests(repository)).hasSize(1);
    }

    @Test
    void theDashboardMayCallTheCommandsFromTheBrowser() {
        given().header("Origin", "http://localhost:8083")
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type,authorization")
                .options("/api/deployments/" + UUID.randomUUID() + "/approve")
                .then().statusCode(200)
                .header("Access-Control-Allow-Origin", "http://localhost:8083")
                .header("Access-Control-Allow-Methods", containsString("POST"));
        given().header("Origin", "https://elsewhere.example.com")
                .header("Access-Control-Request-Method", "POST")
                .options("/api/deployments/" + UUID.randomUUID() + "/approve")
                .then().header("Access-Control-Allow-Origin", nullValue());
    }
}
