package io.trunkline.promotion.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/audit}: configuration changes and commands, who and when, secrets masked. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class AuditResourceTest {

    private static final String SECRET = "first-webhook-secret-value";
    private static final String NEW_SECRET = "second-webhook-secret-value";
    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static String configuration(String trunk, String secret) {
        return """
                { "trunkBranch": "%s", %s
                  "environments": [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}",
                                "auth": { "type": "bearer", "token": "env:TRUNKLINE_TARGET_TOKEN" } } } ] }"""
                .formatted(trunk, secret == null ? "" : "\"webhookSecret\": \"" + secret + "\",");
    }

    @Test
    void configurationChangesAreRecordedWithTheSecretMasked() {
        String slug = "audited-" + UUID.randomUUID();
        String path = "/api/repositories/acme/" + slug;
        given().contentType(ContentType.JSON).body(configuration("main", SECRET)).put(path).then().statusCode(201);
        given().contentType(ContentType.JSON).body(configuration("trunk", NEW_SECRET)).put(path).then().statusCode(200);
        given().contentType(ContentType.JSON).body(configuration("trunk", null)).put(path).then().statusCode(200);
        given().delete(path).then().statusCode(204);

        given().queryParam("repository", "acme/" + slug).get("/api/audit")
                .then().statusCode(200)
                .body(not(containsString(SECRET)))
                .body(not(containsString(NEW_SECRET)))
                .body("items", hasSize(4))
                .body("next", nullValue())
                .body("items.action", equalTo(List.of("configuration.deleted", "configuration.replaced",
                        "configuration.replaced", "configuration.created")))
                .body("items.subject", everyItem(equalTo("local")))
                .body("items.roles", everyItem(equalTo(List.of("admin", "operator", "viewer"))))
                .body("items[3].provider", equalTo("bitbucket-cloud"))
                .body("items[3].before", nullValue())
                .body("items[3].after.trunkBranch", equalTo("main"))
                .body("items[3].after.webhookSecret", equalTo("********"))
                .body("items[3].after.environments[0].target.auth.token", equalTo("env:TRUNKLINE_TARGET_TOKEN"))
                .body("items[2].summary", containsString("the webhook secret changed"))
                .body("items[2].before.trunkBranch", equalTo("main"))
                .body("items[2].after.trunkBranch", equalTo("trunk"))
                .body("items[1].summary", not(containsString("secret")))
                .body("items[1].after.webhookSecret", equalTo("********"))
                .body("items[0].before.trunkBranch", equalTo("trunk"))
                .body("items[0].after", nullValue())
                .body("items[0].at", notNullValue());
    }

    @Test
    void commandsAreRecordedAndFiltered() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "production", "trigger": "trunk", "approval": true,
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{commit}" } } ]""");
        String first = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        UUID approved = topics.deploymentOf(repository, first, DeploymentState.WAITING_APPROVAL);
        given().post("/api/deployments/" + approved + "/approve").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"reason\": \"wrong build\"}")
                .post("/api/deployments/" + approved + "/cancel").then().statusCode(200);

        given().queryParam("deploymentId", approved.toString()).get("/api/audit")
                .then().statusCode(200)
                .body("items.action", equalTo(List.of("deployment.cancelled", "deployment.approved")))
                .body("items[0].summary", startsWith("asked deploy-service to stop the deployment of "))
                .body("items[0].summary", containsString(": wrong build"))
                .body("items[1].environment", equalTo("production"))
                .body("items[1].workspace", equalTo(repository.workspace()))
                .body("items[1].slug", equalTo(repository.slug()));
        given().queryParam("action", "deployment.approved").queryParam("limit", 1).get("/api/audit")
                .then().statusCode(200)
                .body("items", hasSize(1))
                .body("items[0].action", equalTo("deployment.approved"))
                .body("next", containsString("before="));
    }

    @Test
    void invalidFiltersAre400NamingTheParameter() {
        given().queryParam("action", "deployment.exploded").get("/api/audit")
                .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("action"));
        given().queryParam("limit", 0).get("/api/audit").then().statusCode(400).body("errors.field", hasItem("limit"));
        given().queryParam("repository", "no-slash").get("/api/audit")
                .then().statusCode(400).body("errors.field", hasItem("repository"));
        given().queryParam("deploymentId", "x").get("/api/audit")
                .then().statusCode(400).body("errors.field", hasItem("deploymentId"));
    }
}
