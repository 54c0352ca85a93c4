package io.trunkline.promotion.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.security.oidc.Claim;
import io.quarkus.test.security.oidc.ClaimType;
import io.quarkus.test.security.oidc.OidcSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
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

/**
 * An environment's {@code approvers}: only a caller whose token grants one of those roles, or lists one of
 * those groups, approves its deployments; everyone else (admins included) gets 403 and the deployment keeps
 * waiting. Who may call the API at all is AuthorizationTest's subject (test identities carry their
 * implied roles explicitly: the role hierarchy is applied to real tokens).
 */
@QuarkusTest
@PromotionTestResources
class ApproversTest {

    private static final String PRODUCTION = """
            [ { "name": "production", "trigger": "trunk", "approval": true, "approvers": ["release-managers"],
                "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{commit}" } } ]""";

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
    @TestSecurity(user = "ada", roles = {"admin", "operator", "viewer"})
    void aCallerWithNoneOfTheApproversRolesOrGroupsIsRefusedAndTheDeploymentKeepsWaiting() {
        RepositoryRef repository = PromotionTopics.configure(PRODUCTION);
        UUID waiting = waitingDeployment(repository);

        approve(waiting).statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:not-an-approver"))
                .body("detail", containsString("release-managers"))
                .body("detail", containsString("ada"));

        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> topics.requests(repository).isEmpty());
        assertThat(stateOf(waiting)).isEqualTo(DeploymentState.WAITING_APPROVAL);
    }

    @Test
    @TestSecurity(user = "rita", roles = {"admin", "operator", "viewer", "release-managers"})
    void aCallerGrantedAnApproversRoleApproves() {
        RepositoryRef repository = PromotionTopics.configure(PRODUCTION);
        UUID waiting = waitingDeployment(repository);

        approve(waiting).statusCode(200).body("state", equalTo("QUEUED")).body("approvedBy", equalTo("rita"));
        assertThat(topics.request(repository, 1).deploymentId()).isEqualTo(waiting);
    }

    @Test
    @TestSecurity(user = "greg", roles = {"admin", "operator", "viewer"})
    @OidcSecurity(claims = @Claim(key = "groups", value = "[\"release-managers\"]", type = ClaimType.JSON_ARRAY))
    void aCallerWhoseTokenListsAnApproversGroupApproves() {
        RepositoryRef repository = PromotionTopics.configure(PRODUCTION);
        UUID waiting = waitingDeployment(repository);

        approve(waiting).statusCode(200).body("state", equalTo("QUEUED")).body("approvedBy", equalTo("greg"));
        assertThat(topics.request(repository, 1).deploymentId()).isEqualTo(waiting);
    }

    @Test
    @TestSecurity(user = "ada", roles = {"admin", "operator", "viewer"})
    void approversAreValidatedAndShownWithTheConfiguration() {
        String path = "/api/repositories/acme/approvers-" + UUID.randomUUID();
        given().contentType(ContentType.JSON).body(body(PRODUCTION.replace("\"approval\": true, ", "")))
                .put(path).then().statusCode(400)
                .body("errors[0].field", equalTo("environments[0].approvers"))
                .body("errors[0].message", equalTo("applies only with approval: true"));
        given().contentType(ContentType.JSON)
                .body(body(PRODUCTION.replace("[\"release-managers\"]", "[\"release-managers\", \" \", \"release-managers\"]")))
                .put(path).then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.contains("environments[0].approvers[1]",
                        "environments[0].approvers[2]"));

        given().contentType(ContentType.JSON).body(body(PRODUCTION)).put(path).then().statusCode(201);
        given().get(path).then().statusCode(200)
                .body("environments[0].approvers[0]", equalTo("release-managers"));
    }

    private static UUID waitingDeployment(RepositoryRef repository) {
        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        return topics.deploymentOf(repository, commit, DeploymentState.WAITING_APPROVAL);
    }

    private static ValidatableResponse approve(UUID deploymentId) {
        return given().post("/api/deployments/" + deploymentId + "/approve").then();
    }

    private static String body(String environments) {
        return "{ \"environments\": " + environments + " }";
    }
}
