package io.trunkline.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.post;
import static io.trunkline.ingest.support.Deliveries.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.trunkline.events.RefsPushed;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.ScmEvents;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input of every kind the issue lists, through HTTP: each is answered 4xx with a problem body
 * that echoes nothing it was sent, and none publishes anything.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class BadInputTest {

    private static ValidatableResponse send(String eventKey, byte[] body, String signature) {
        var request = given().contentType(ContentType.JSON).header("X-Event-Key", eventKey)
                .header("X-Request-UUID", UUID.randomUUID().toString()).body(body);
        if (signature != null) {
            request.header("X-Hub-Signature", signature);
        }
        return request.post("/webhooks/bitbucket").then();
    }

    private static ValidatableResponse signed(String eventKey, byte[] body) {
        return send(eventKey, body, WebhookSignature.sign(Deliveries.SECRET, body));
    }

    private static ValidatableResponse problem(ValidatableResponse response, int status) {
        return response.statusCode(status).contentType("application/problem+json").body("status", equalTo(status));
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void wrongMissingAndMalformedSignaturesAre401AndPublishNothing() {
        String repository = Deliveries.newRepository();
        byte[] body = push(repository, branch("main", commit(), commit()));
        String hex = WebhookSignature.sign(Deliveries.SECRET, body).substring("sha256=".length());
        String sha1 = "sha1=" + HexFormat.of().formatHex(Arrays.copyOf(HexFormat.of().parseHex(hex), 20));
        List<String> refused = Arrays.asList(null, "", "sha256=", hex, sha1, "sha256=" + hex.substring(1),
                "sha256=" + hex + "0", "sha256=" + hex.substring(0, 62), "SHA256=" + hex, "sha256= " + "z".repeat(64),
                WebhookSignature.sign("not-the-secret", body), "sha256=" + hex.repeat(100), "sha512=" + hex + hex);

        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(), repository)) {
            for (String signature : refused) {
                problem(send("repo:push", body, signature), 401)
                        .body("type", equalTo("urn:trunkline:problem:bad-signature"))
                        .body(not(containsString(hex.substring(0, 16))))
                        .body(not(containsString(Deliveries.SECRET)));
            }
            assertThat(published.settled()).isEmpty();
        }
    }

    @Test
    void upperCaseHexIsTheSameSignature() {
        byte[] body = push(Deliveries.newRepository(), branch("main", commit(), commit()));
        String hex = WebhookSignature.sign(Deliveries.SECRET, body).substring("sha256=".length());

        send("repo:push", body, "sha256=" + hex.toUpperCase()).statusCode(202);
    }

    @Test
    void emptyTruncatedAndNonObjectBodiesAre400() {
        byte[] fixture = Fixtures.bytes("bitbucket-cloud/go-scm/push.json");

        problem(signed("repo:push", new byte[0]), 400).body("detail", containsString("empty"));
        for (int cut : new int[] {1, fixture.length / 3, fixture.length / 2, fixture.length - 2}) {
            problem(signed("repo:push", Arrays.copyOf(fixture, cut)), 400)
                    .body("detail", containsString("not valid JSON"));
        }
        for (String body : new String[] {"[]", "\"repo:push\"", "42", "null", "true", "{} {}", "{\"a\":1} trailing"}) {
            problem(signed("repo:push", utf8(body)), 400).body("type", equalTo("urn:trunkline:problem:malformed-delivery"));
        }
    }

    @Test
    void jsonNestedTenThousandDeepIs400() {
        String deep = "{\"repository\":{\"full_name\":\"a/b\"},\"push\":" + "{\"x\":".repeat(10_000) + "1"
                + "}".repeat(10_000) + "}";
        String deepArrays = "[".repeat(10_000) + "]".repeat(10_000);

        problem(signed("repo:push", utf8(deep)), 400).body("detail", containsString("nested too deeply"));
        problem(signed("repo:push", utf8(deepArrays)), 400);
    }

    @Test
    void aFieldTwiceInOneObjectIs400WhateverRepositoryItNames() {
        String twice = "{\"repository\":{\"full_name\":\"acme/one\"},\"repository\":{\"full_name\":\"acme/two\"},"
                + "\"push\":{\"changes\":[]}}";

        problem(signed("repo:push", utf8(twice)), 400).body("detail", containsString("a field appears twice"));
    }

    @Test
    void unknownEventKeysAre200WhenSignedAnd401WhenNot() {
        byte[] body = Fixtures.bytes("bitbucket-cloud/go-scm/push.json");

        for (String key : new String[] {"repo:imported", "issue:created", "pr:comment:added", "x", "repo:push:extra"}) {
            signed(key, body).statusCode(200).body("status", equalTo("ignored"));
            problem(send(key, body, null), 401);
        }
        signed("<img src=x onerror=alert(1)>", body).statusCode(200)
                .body("reason", equalTo("this event key needs no action"));
        problem(signed(" ", body), 400).body("detail", containsString("X-Event-Key"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"repository\":\"acme/shop\",\"push\":{\"changes\":[]}}",
            "{\"repository\":{\"full_name\":42},\"push\":{\"changes\":[]}}",
            "{\"repository\":{\"full_name\":\"acme/shop\"},\"push\":[]}",
            "{\"repository\":{\"full_name\":\"acme/shop\"},\"push\":{\"changes\":{}}}",
            "{\"repository\":{\"full_name\":\"acme/shop\"},\"push\":{\"changes\":[42]}}",
            "{\"repository\":{\"full_name\":\"acme/shop\"},\"push\":{\"changes\":[{\"new\":{\"type\":\"branch\",\"name\":[],\"target\":{\"hash\":\"x\"}}}]}}",
            "{\"repository\":{\"full_name\":\"acme/shop\"},\"push\":{\"changes\":[{\"new\":{\"type\":\"branch\",\"name\":\"m\",\"target\":{\"hash\":1}}}]}}",
            "{\"repository\":{\"full_name\":\"acme/shop\"},\"push\":{\"changes\":[{\"forced\":\"yes\",\"new\":{\"type\":\"branch\",\"name\":\"m\",\"target\":{\"hash\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}}}]}}"})
    void fieldsOfTheWrongTypeInAPushAre400(String body) {
        problem(signed("repo:push", utf8(body)), 400).body("type", equalTo("urn:trunkline:problem:malformed-delivery"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"pullrequest:created", "pr:opened", "repo:refs_changed"})
    void fieldsOfTheWrongTypeInPullRequestsAndDataCenterPushesAre400(String eventKey) {
        String body = eventKey.equals("pullrequest:created")
                ? "{\"repository\":{\"full_name\":\"acme/shop\"},\"pullrequest\":{\"id\":\"7\"}}"
                : eventKey.equals("pr:opened")
                        ? "{\"pullRequest\":{\"id\":2,\"toRef\":{\"repository\":{\"slug\":\"s\",\"project\":{\"key\":[]}}}}}"
                        : "{\"repository\":{\"slug\":\"s\",\"project\":{\"key\":\"P\"}},\"changes\":[{\"ref\":{\"id\":7}}]}";

        problem(signed(eventKey, utf8(body)), 400);
    }

    @Test
    void refNamesGitAllowsArePublishedVerbatim() {
        String repository = Deliveries.newRepository();
        List<String> names = List.of("feature/deep/name", "fix-ümlaut-分支-🚀", "release%2F1", "b".repeat(255));
        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(), repository)) {
            for (String name : names) {
                post(push(repository, branch(name, null, commit())), UUID.randomUUID().toString()).statusCode(202);
            }

            assertThat(published.settled()).extracting(event -> event.changes().get(0).refName())
                    .containsExactlyElementsOf(names);
        }
    }

    @Test
    void refNamesGitRefusesAre400WithoutTheNameAndPublishNothing() {
        String repository = Deliveries.newRepository();
        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(), repository)) {
            for (String name : List.of("with space", "a..b", "../../etc/passwd", "x".repeat(1025), "end.lock", "a\u0000b")) {
                problem(post(push(repository, branch(name, null, commit())), UUID.randomUUID().toString()), 400)
                        .body("detail", containsString("push.changes[0].new.name"))
                        .body(not(containsString(name.substring(0, Math.min(name.length(), 8)) + "\"")));
            }
            List<RefsPushed> events = published.settled();
            assertThat(events).isEmpty();
        }
    }
}
