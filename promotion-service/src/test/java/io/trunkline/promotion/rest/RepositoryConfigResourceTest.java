package io.trunkline.promotion.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.promotion.PromotionTestResources;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class RepositoryConfigResourceTest {

    static final String VALID = """
            {
              "trunkBranch": "main",
              "webhookSecret": "a-very-secret-webhook-value",
              "environments": [
                { "name": "staging", "trigger": "trunk",
                  "target": { "type": "http", "method": "POST",
                              "url": "https://app.appsmith.com/api/v1/git/deploy/app/660f7b?branchName={branch}",
                              "auth": { "type": "bearer", "token": "env:TRUNKLINE_TARGET_APPSMITH_TOKEN" } } },
                { "name": "production", "trigger": "release-tag", "requires": "staging",
                  "target": { "type": "bitbucket-pipeline", "pipeline": "deploy-production",
                              "variables": { "RELEASE": "{tag}" } } }
              ]
            }""";

    private static String path() {
        return "/api/repositories/acme/" + "shop-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void createReadReplaceDelete() {
        String path = path();
        given().contentType(ContentType.JSON).body(VALID).put(path)
                .then().statusCode(201)
                .body("releaseTagPattern", equalTo("release-*"))
                .body("webhookSecretSet", equalTo(true));

        given().get(path)
                .then().statusCode(200)
                .body("trunkBranch", equalTo("main"))
                .body("environments.name", hasItems("staging", "production"))
                .body("environments[0].target.auth.token", equalTo("env:TRUNKLINE_TARGET_APPSMITH_TOKEN"))
                .body("environments[1].requires", equalTo("staging"))
                .body(not(containsString("a-very-secret-webhook-value")))
                .body(not(containsString("\"webhookSecret\"")));

        given().contentType(ContentType.JSON).body(VALID.replace("\"main\"", "\"trunk\"")
                        .replace("\"webhookSecret\": \"a-very-secret-webhook-value\",", ""))
                .put(path)
                .then().statusCode(200)
                .body("trunkBranch", equalTo("trunk"))
                .body("webhookSecretSet", equalTo(true));

        given().delete(path).then().statusCode(204);
        given().get(path).then().statusCode(404)
                .contentType("application/problem+json")
                .body("detail", containsString("No configuration"));
    }

    @Test
    void invalidConfigurationIs400NamingEachField() {
        String invalid = """
                { "environments": [
                    { "name": "staging", "trigger": "weekly",
                      "target": { "type": "http", "url": "not a url",
                                  "auth": { "type": "bearer", "token": "plain-secret" } } } ] }""";
        given().contentType(ContentType.JSON).body(invalid).put(path())
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("errors.field", hasItems("environments[0].trigger", "environments[0].target.url",
                        "environments[0].target.auth.token"))
                .body(not(containsString("plain-secret")));
    }

    @Test
    void malformedJsonIs400() {
        given().contentType(ContentType.JSON).body("{\"environments\": [").put(path())
                .then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType(ContentType.JSON).body("{\"environments\": 5}").put(path())
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("environments"))
                .body("errors[0].field", equalTo("environments"))
                .body("errors[0].message", equalTo("must be an array"));
    }

    @Test
    void aFieldThisServiceDoesNotHonourIs400NamingIt() {
        String withVerify = VALID.replace("\"trigger\": \"trunk\",",
                "\"trigger\": \"trunk\", \"verfiy\": [ { \"type\": \"http\", \"url\": \"https://x.example.com\" } ],");
        String path = path();
        given().contentType(ContentType.JSON).body(withVerify).put(path)
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", equalTo("urn:trunkline:problem:unknown-field"))
                .body("detail", containsString("'environments[0].verfiy'"))
                .body("errors[0].field", equalTo("environments[0].verfiy"))
                .body("errors[0].message", equalTo("is not a known field"))
                .body(not(containsString("x.example.com")));
        given().get(path).then().statusCode(404);

        given().contentType(ContentType.JSON).body(VALID.replace("\"type\": \"bitbucket-pipeline\",",
                        "\"type\": \"bitbucket-pipeline\", \"retries\": 3,")).put(path())
                .then().statusCode(400)
                .body("errors[0].field", equalTo("environments[1].target.retries"));
        given().contentType(ContentType.JSON).body(VALID.replace("\"trigger\": \"trunk\",",
                        "\"trigger\": \"trunk\", \"approvers\": [\"release-managers\"],")).put(path())
                .then().statusCode(400)
                .body("errors[0].field", equalTo("environments[0].approvers"));
        given().contentType(ContentType.JSON).body(VALID.replace("\"trunkBranch\": \"main\",",
                        "\"trunkBranch\": \"main\", \"concurrency\": \"queue\",")).put(path())
                .then().statusCode(400)
                .body("errors[0].field", equalTo("concurrency"));
    }

    @Test
    void targetIdempotentIsKeptAndMustBeABoolean() {
        String path = path();
        String idempotent = VALID.replace("\"method\": \"POST\",", "\"method\": \"POST\", \"idempotent\": true,");
        given().contentType(ContentType.JSON).body(idempotent).put(path)
                .then().statusCode(201)
                .body("environments[0].target.idempotent", equalTo(true));
        given().get(path).then().statusCode(200)
                .body("environments[0].target.idempotent", equalTo(true))
                .body("environments[1].target.idempotent", nullValue());

        for (String notBoolean : new String[] {"\"yes\"", "\"true\"", "1"}) {
            given().contentType(ContentType.JSON)
                    .body(VALID.replace("\"method\": \"POST\",", "\"method\": \"POST\", \"idempotent\": " + notBoolean + ","))
                    .put(path())
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors[0].field", equalTo("environments[0].target.idempotent"));
        }
    }

    @Test
    void unknownRepositoryIs404() {
        given().get(path()).then().statusCode(404).contentType("application/problem+json");
        given().delete(path()).then().statusCode(404);
    }

    @Test
    void theProviderIsPartOfTheRepositoryKey() {
        String slug = "shop-" + UUID.randomUUID().toString().substring(0, 8);
        String path = "/api/repositories/ACME/" + slug;
        given().contentType(ContentType.JSON).body(VALID).queryParam("provider", "bitbucket-data-center").put(path)
                .then().statusCode(201)
                .body("provider", equalTo("bitbucket-data-center"));
        // without a provider, the one configured is meant
        given().get(path).then().statusCode(200).body("provider", equalTo("bitbucket-data-center"));
        given().contentType(ContentType.JSON).body(VALID.replace("\"main\"", "\"develop\"")).put(path)
                .then().statusCode(200)
                .body("provider", equalTo("bitbucket-data-center"))
                .body("trunkBranch", equalTo("develop"));

        given().contentType(ContentType.JSON).body(VALID).queryParam("provider", "bitbucket-cloud").put(path)
                .then().statusCode(201)
                .body("provider", equalTo("bitbucket-cloud"))
                .body("trunkBranch", equalTo("main"));
        given().get(path).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:ambiguous-repository"))
                .body("errors[0].field", equalTo("provider"));
        given().queryParam("provider", "bitbucket-data-center").get(path).then().statusCode(200)
                .body("trunkBranch", equalTo("develop"));
        given().queryParam("provider", "gitlab").get(path).then().statusCode(400)
                .body("errors[0].field", equalTo("provider"));

        given().queryParam("provider", "bitbucket-cloud").delete(path).then().statusCode(204);
        given().get(path).then().statusCode(200).body("provider", equalTo("bitbucket-data-center"));
    }

    @Test
    void concurrentFirstPutsOfOneRepositoryAllSucceed() throws Exception {
        String path = path();
        int writers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> statuses = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                statuses.add(pool.submit(() -> {
                    start.await();
                    return given().contentType(ContentType.JSON).body(VALID).put(path).statusCode();
                }));
            }
            start.countDown();
            List<Integer> answered = new ArrayList<>();
            for (Future<Integer> status : statuses) {
                answered.add(status.get());
            }
            assertThat(answered).containsOnly(200, 201)
                    .filteredOn(status -> status == 201).hasSize(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void everyKindOfInvalidFieldIsNamedInOneProblem() {
        String invalid = """
                { "releaseTagPattern": "release [0-9]", "webhookSecret": "short",
                  "environments": [
                    { "name": "staging", "trigger": "nightly",
                      "target": { "type": "http", "url": "https://deployer:hunter2-secret@deploy.example.com/{sha}",
                                  "headers": { "Authorization": "Bearer hunter2-secret" },
                                  "auth": { "type": "bearer", "token": "hunter2-secret" } } },
                    { "name": "staging", "trigger": "trunk", "target": { "type": "ssh" } },
                    { "name": "qa", "trigger": "trunk", "requires": "production", "soak": "soon",
                      "target": { "type": "http" } },
                    { "name": "production", "trigger": "release-tag", "requires": "qa", "concurrency": "parallel",
                      "freeze": [ { "cron": "0 18 * * FRI", "duration": "62h", "zone": "Mars/Olympus" } ],
                      "target": { "type": "pulumi", "organization": "acme", "project": "shop", "stack": "prod",
                                  "auth": { "type": "bearer", "token": "env:TRUNKLINE_DB_PASSWORD" } } },
                    { "name": "preview", "trigger": "pull-request", "ttl": "forever", "url": "https://pr-{prId}.example.com",
                      "target": { "type": "bitbucket-pipeline", "pipeline": "preview", "variables": { "PR": "{pull}" } } } ] }""";
        given().contentType(ContentType.JSON).body(invalid).put(path())
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:trunkline:problem:invalid-configuration"))
                .body("errors.field", containsInAnyOrder("releaseTagPattern", "webhookSecret",
                        "environments[0].trigger", "environments[0].target.url", "environments[0].target.url",
                        "environments[0].target.headers.Authorization", "environments[0].target.auth.token",
                        "environments[1].name", "environments[1].target.type",
                        "environments[2].requires", "environments[2].soak", "environments[2].target.url",
                        "environments[3].requires", "environments[3].concurrency", "environments[3].freeze[0].zone",
                        "environments[3].target.auth.token",
                        "environments[4].ttl", "environments[4].url", "environments[4].target.variables.PR"))
                .body(not(containsString("hunter2")));
    }

    @Test
    void credentialReferencesOutsideTheirConfinesAre400NamingTheField() {
        // the test profile's credentials directory is /run/secrets; symbolic links: ConfigurationValidatorTest
        for (String reference : new String[] {"env:TRUNKLINE_DB_PASSWORD", "env:PATH", "file:/etc/passwd",
                "file:../../x", "file:/run/secrets/../../etc/passwd", "file:/run/secrets-other/token"}) {
            String configuration = """
                    { "environments": [ { "name": "staging", "trigger": "trunk",
                        "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}",
                                    "auth": { "type": "bearer", "token": "%s" } } } ] }""".formatted(reference);
            given().contentType(ContentType.JSON).body(configuration).put(path())
                    .then().statusCode(400)
                    .contentType("application/problem+json")
                    .body("errors.field", containsInAnyOrder("environments[0].target.auth.token"));
        }
        given().contentType(ContentType.JSON).body("""
                { "environments": [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}",
                                "auth": { "type": "bearer", "token": "file:/run/secrets/deploy-token" } } } ] }""")
                .put(path()).then().statusCode(201);
    }
}
