package io.trunkline.promotion.service;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.VerifyCheck;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An environment's {@code verify} checks: accepted by the configuration API, carried in the deploy request; a
 * commit whose checks failed is not SUCCEEDED there, so {@code requires} does not promote it; with
 * {@code "onFailure": "rollback"} the environment is rolled back to its previous successful commit and held.
 */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class VerificationGateTest {

    private static final String STAGING_WITH_CHECKS = """
            { "name": "staging", "trigger": "trunk", "url": "https://staging.example.com",
              "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" },
              "verify": [
                { "type": "http", "url": "{url}/health", "expect": { "status": 200, "jsonPointer": "/status", "equals": "UP" },
                  "retries": 10, "interval": "5s", "timeout": "2s" },
                { "name": "smoke tests", "type": "postman", "collection": "file:/run/secrets/smoke.postman_collection.json",
                  "environment": { "baseUrl": "{url}", "apiKey": "env:TRUNKLINE_TARGET_SMOKE_KEY" }, "timeout": "5m" } ]%s }""";

    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void theChecksAreStoredAndTravelInTheDeployRequest() {
        RepositoryRef repository = PromotionTopics.configure("[" + STAGING_WITH_CHECKS.formatted("") + "]");
        given().get("/api/repositories/acme/" + repository.slug()).then().statusCode(200)
                .body("environments[0].verify[0].type", equalTo("http"))
                .body("environments[0].verify[0].expect.equals", equalTo("UP"))
                .body("environments[0].verify[1].environment.apiKey", equalTo("env:TRUNKLINE_TARGET_SMOKE_KEY"));

        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        DeploymentRequested request = topics.request(repository, 1);

        assertThat(request.environmentUrl()).isEqualTo("https://staging.example.com");
        assertThat(request.verify()).extracting(VerifyCheck::type).containsExactly("http", "postman");
        assertThat(request.verify().get(0).url()).isEqualTo("{url}/health");
        assertThat(request.verify().get(1).displayName(1)).isEqualTo("smoke tests");
    }

    @Test
    void invalidChecksAre400NamingEachField() {
        given().contentType(ContentType.JSON).body("""
                { "environments": [ { "name": "staging", "trigger": "trunk", "onFailure": "retry",
                    "target": { "type": "http", "url": "https://deploy.example.com/{commit}" },
                    "verify": [ { "type": "http", "url": "{url}/health", "retries": -1, "interval": "soon",
                                  "collection": "file:/x.json" },
                                { "type": "postman", "environment": { "password": "hunter2" } },
                                { "type": "grpc" } ] } ] }""")
                .put("/api/repositories/acme/invalid-checks-" + UUID.randomUUID())
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("environments[0].onFailure", "environments[0].verify[0].url",
                        "environments[0].verify[0].retries", "environments[0].verify[0].interval",
                        "environments[0].verify[0].collection", "environments[0].verify[1].collection",
                        "environments[0].verify[1].environment.password", "environments[0].verify[2].type"));
    }

    @Test
    void aCommitWhoseChecksFailedIsNotPromoted() {
        RepositoryRef repository = PromotionTopics.configure("[" + STAGING_WITH_CHECKS.formatted("") + """
                , { "name": "production", "trigger": "release-tag", "requires": "staging",
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{tag}" } } ]""");
        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        topics.failVerification(topics.request(repository, 1), "http check 1");

        topics.publish(repository, RefType.TAG, "release-1", null, commit);

        UUID rejected = topics.deploymentOf(repository, "production", commit, DeploymentState.REJECTED);
        assertThat(topics.latestState(rejected).reason())
                .isEqualTo("commit " + commit.substring(0, 12) + " has no successful deployment in staging");
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> topics.requests(repository).size() == 1);
    }

    @Test
    void failedChecksRollTheEnvironmentBackAndHoldIt() {
        RepositoryRef repository = PromotionTopics.configure("["
                + STAGING_WITH_CHECKS.formatted(", \"onFailure\": \"rollback\"") + "]");
        String good = commit();
        String bad = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, good);
        topics.succeed(topics.request(repository, 1));
        topics.publish(repository, RefType.BRANCH, "main", good, bad);
        topics.failVerification(topics.request(repository, 2), "smoke tests");

        DeploymentRequested rollback = topics.request(repository, 3);
        assertThat(rollback.commit()).isEqualTo(good);
        assertThat(rollback.verify()).hasSize(2);
        assertThat(topics.latestState(rollback.deploymentId()).reason()).isEqualTo("rollback to "
                + good.substring(0, 12) + ": verification of " + bad.substring(0, 12) + " failed (smoke tests)");
        topics.succeed(rollback);

        // the environment is held as after an operator's rollback: the next push waits for a release
        String next = commit();
        topics.publish(repository, RefType.BRANCH, "main", bad, next);
        UUID held = topics.deploymentOf(repository, next, DeploymentState.QUEUED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.latestState(held).reason())
                .startsWith("held after rollback to " + good.substring(0, 12)));
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> topics.requests(repository).size() == 3);
        given().post("/api/repositories/acme/" + repository.slug() + "/environments/staging/release")
                .then().statusCode(200);
        assertThat(topics.request(repository, 4).commit()).isEqualTo(next);
    }
}
