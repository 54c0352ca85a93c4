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
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.RawHttp;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The answers of PRODUCT.md §3 that the HTTP layer shapes: 413 before the body is read, 415, problem bodies, metrics. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class WebhookAnswersTest {

    private static final int MIB = 1024 * 1024;
    private static final String HEAD = "Content-Type: application/json\r\nX-Event-Key: repo:push\r\n"
            + "X-Request-UUID: " + UUID.randomUUID() + "\r\nX-Hub-Signature: sha256=" + "ab".repeat(32) + "\r\n";

    @TestHTTPResource("/webhooks/bitbucket")
    URL webhook;

    private static void assertTooLargeProblem(RawHttp.Answer answer) {
        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.hasHeader("content-type", "application/problem+json")).isTrue();
        assertThat(answer.hasHeader("connection", "close")).isTrue();
        assertThat(answer.body()).contains("\"type\":\"urn:trunkline:problem:delivery-too-large\"", "\"status\":413",
                "1048576 bytes");
    }

    @Test
    void aDeclaredBodyOverOneMebibyteIsRefusedBeforeAnyOfItIsSent() throws Exception {
        for (long length : new long[] {MIB + 1, 2L * MIB, 20L * MIB, 5_000_000_000L}) {
            RawHttp.Answer answer = RawHttp.sendPartly(webhook, HEAD + "Content-Length: " + length + "\r\n", new byte[0]);

            assertTooLargeProblem(answer);
        }
    }

    @Test
    void aChunkedBodyIsRefusedOnceItPassesOneMebibyteBeforeItEnds() throws Exception {
        RawHttp.Answer answer = RawHttp.sendPartly(webhook, HEAD + "Transfer-Encoding: chunked\r\n",
                RawHttp.unfinishedChunks(MIB + 64 * 1024, (byte) ' '));

        assertTooLargeProblem(answer);
    }

    @Test
    void aBodyOfExactlyOneMebibyteIsRead() {
        byte[] body = new byte[MIB];
        java.util.Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[MIB - 1] = '}';

        post(body, UUID.randomUUID().toString())
                .statusCode(400)
                .body("detail", containsString("repository is missing"));
    }

    @Test
    void aBodyNotDeclaredAsJsonIs415() {
        byte[] body = Deliveries.push(Deliveries.newRepository(), branch("main", commit(), commit()));
        String signature = WebhookSignature.sign(Deliveries.SECRET, body);

        for (String contentType : new String[] {"text/plain", "text/html", "application/xml", "application/octet-stream"}) {
            given().contentType(contentType).header("X-Event-Key", "repo:push").header("X-Hub-Signature", signature)
                    .body(body).post("/webhooks/bitbucket")
                    .then().statusCode(415)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:trunkline:problem:not-json"));
        }
        given().header("X-Event-Key", "repo:push").header("X-Hub-Signature", signature).body(body)
                .post("/webhooks/bitbucket").then().statusCode(415);
        given().contentType("application/vnd.bitbucket+json").header("X-Event-Key", "repo:push")
                .header("X-Hub-Signature", signature).body(body).post("/webhooks/bitbucket").then().statusCode(202);
    }

    @Test
    void problemBodiesNeverEchoSecretsSignaturesOrPayloadText() {
        String signature = "sha256=" + "c0ffee".repeat(10) + "beef";
        byte[] unsigned = "{\"repository\":{\"full_name\":\"PAYLOAD-TEXT/x\"}}".getBytes(StandardCharsets.UTF_8);
        given().contentType("application/json").header("X-Event-Key", "repo:push").header("X-Hub-Signature", signature)
                .body(unsigned).post("/webhooks/bitbucket")
                .then().statusCode(401)
                .body(not(containsString("c0ffee")))
                .body(not(containsString(Deliveries.SECRET)))
                .body(not(containsString("PAYLOAD-TEXT")));

        byte[] badToken = "{\"repository\": PAYLOAD-TEXT}".getBytes(StandardCharsets.UTF_8);
        Deliveries.post(badToken, null).statusCode(400)
                .body("detail", containsString("not valid JSON"))
                .body(not(containsString("PAYLOAD-TEXT")));
        byte[] wrongType = "{\"repository\":{\"full_name\":\"a/b\"},\"push\":{\"changes\":\"PAYLOAD-TEXT\"}}"
                .getBytes(StandardCharsets.UTF_8);
        Deliveries.post(wrongType, null).statusCode(400)
                .body("detail", containsString("push.changes must be an array"))
                .body(not(containsString("PAYLOAD-TEXT")));
    }

    @Test
    void deliveriesAreCountedByProviderEventKeyAndOutcomeAndPublishingIsTimed() {
        String repository = Deliveries.newRepository();
        post(push(repository, branch("main", commit(), commit())), UUID.randomUUID().toString()).statusCode(202);
        Deliveries.postDataCenter("diagnostics:ping", "{}".getBytes(StandardCharsets.UTF_8), null).statusCode(200);
        byte[] comment = Fixtures.bytes("bitbucket-cloud/go-scm/pr_comment_created.json");
        given().contentType("application/json").header("X-Event-Key", "made:up:" + UUID.randomUUID())
                .header("X-Hub-Signature", "sha256=00").body(comment).post("/webhooks/bitbucket").then().statusCode(401);

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics)
                .containsPattern("trunkline_webhook_deliveries_total\\{event_key=\"repo:push\",outcome=\"published\","
                        + "provider=\"bitbucket-cloud\"} [1-9]")
                .containsPattern("trunkline_webhook_deliveries_total\\{event_key=\"diagnostics:ping\",outcome=\"ignored\","
                        + "provider=\"bitbucket-data-center\"} [1-9]")
                .containsPattern("trunkline_webhook_deliveries_total\\{event_key=\"other\",outcome=\"bad-signature\","
                        + "provider=\"bitbucket-data-center\"} [1-9]")
                .containsPattern("trunkline_webhook_publish_seconds_bucket\\{result=\"acknowledged\",le=\"[0-9.]+\"} [1-9]")
                .doesNotContain("made:up:");
    }
}
