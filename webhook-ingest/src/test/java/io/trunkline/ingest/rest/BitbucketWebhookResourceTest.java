package io.trunkline.ingest.rest;

import static io.restassured.RestAssured.given;
import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.trunkline.commons.messaging.EventSender;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TopicProbe;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.messaging.ScmEventPublisher;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.util.List;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class BitbucketWebhookResourceTest {

    private static final String SECRET = Deliveries.SECRET;
    private static final byte[] PUSH = Fixtures.bytes("bitbucket-cloud/go-scm/push.json");

    @Inject
    EventSender sender;

    @Inject
    WebhookConfig config;

    @Inject
    MeterRegistry meters;

    private static io.restassured.specification.RequestSpecification delivery(String eventKey, byte[] body) {
        return given()
                .contentType(ContentType.JSON)
                .header("X-Event-Key", eventKey)
                .header("X-Request-UUID", UUID.randomUUID().toString())
                .header("X-Hub-Signature", WebhookSignature.sign(SECRET, body))
                .body(body);
    }

    @Test
    void signedPushIsPublishedAsCloudEventBeforeTheAnswer() {
        // the fixture's push, to a repository of its own: other tests send the fixture as it is
        String repository = Deliveries.newRepository();
        byte[] body = push(repository, branch("master", "40e7580cf11311d84a6e5e97e2cbba6df1675750",
                "141977fedf5cf35aa290ac87d4b5177ac4cd9de1"));
        try (TopicProbe probe = new TopicProbe(TestServers.get().bootstrapServers())) {
            TopicProbe.Recording recording = probe.record(Topics.SCM_EVENTS);

            String eventId = delivery("repo:push", body)
                    .post("/webhooks/bitbucket")
                    .then().statusCode(202)
                    .body("eventId", notNullValue())
                    .body("duplicate", equalTo(false))
                    .extract().path("eventId");

            ConsumerRecord<String, String> published = await().atMost(Duration.ofSeconds(20)).until(
                    () -> recording.records().stream()
                            .filter(r -> eventId.equals(String.valueOf(CloudEventHeaders.read(r.headers()).id())))
                            .findFirst(), Optional::isPresent).orElseThrow();
            assertThat(published.key()).isEqualTo("bitbucket-cloud:" + repository);
            CloudEventHeaders.Attributes attributes = CloudEventHeaders.read(published.headers());
            assertThat(attributes.type()).isEqualTo(RefsPushed.TYPE);
            assertThat(attributes.source()).isEqualTo("/trunkline/webhook-ingest");
            RefsPushed event = (RefsPushed) EventCodec.decode(attributes.type(), published.value()).orElseThrow();
            assertThat(event.changes().get(0).newCommit()).isEqualTo("141977fedf5cf35aa290ac87d4b5177ac4cd9de1");
        }
    }

    @Test
    void noTransactionIsOpenWhileTheBrokerIsAwaited() {
        AtomicReference<Boolean> transactionOpen = new AtomicReference<>();
        QuarkusMock.installMockForType(new ScmEventPublisher(sender, config, meters) {
            @Override
            public void publish(List<TrunklineEvent> events) {
                transactionOpen.set(QuarkusTransaction.isActive());
                super.publish(events);
            }
        }, ScmEventPublisher.class);

        delivery("repo:push", push(Deliveries.newRepository(), branch("main", commit(), commit())))
                .post("/webhooks/bitbucket")
                .then().statusCode(202);

        assertThat(transactionOpen.get()).isFalse();
    }

    @Test
    void wrongOrMissingSignatureIs401ProblemJson() {
        given().contentType(ContentType.JSON).header("X-Event-Key", "repo:push")
                .header("X-Hub-Signature", WebhookSignature.sign("not-the-secret", PUSH)).body(PUSH)
                .post("/webhooks/bitbucket")
                .then().statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("detail", containsString("does not match"))
                .body(org.hamcrest.Matchers.not(containsString(SECRET)));
        given().contentType(ContentType.JSON).header("X-Event-Key", "repo:push").body(PUSH)
                .post("/webhooks/bitbucket")
                .then().statusCode(401)
                .body("detail", containsString("missing"));
    }

    @Test
    void malformedBodyIs400() {
        byte[] notJson = "{not json".getBytes(StandardCharsets.UTF_8);
        delivery("repo:push", notJson).post("/webhooks/bitbucket")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("detail", containsString("not valid JSON"));
        byte[] noRepository = "{\"push\":{\"changes\":[]}}".getBytes(StandardCharsets.UTF_8);
        delivery("repo:push", noRepository).post("/webhooks/bitbucket")
                .then().statusCode(400)
                .body("detail", containsString("repository is missing"));
    }

    @Test
    void missingEventKeyIs400() {
        given().contentType(ContentType.JSON)
                .header("X-Hub-Signature", WebhookSignature.sign(SECRET, PUSH)).body(PUSH)
                .post("/webhooks/bitbucket")
                .then().statusCode(400)
                .body("detail", containsString("X-Event-Key"));
    }

    @Test
    void bodyOverOneMebibyteIs413() {
        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        delivery("repo:push", big).post("/webhooks/bitbucket")
                .then().statusCode(413)
                .contentType("application/problem+json");
    }

    @Test
    void eventKeyWeDoNotActOnIs200WithReason() {
        byte[] body = Fixtures.bytes("bitbucket-cloud/go-scm/pr_comment_created.json");
        delivery("pullrequest:comment_created", body).post("/webhooks/bitbucket")
                .then().statusCode(200)
                .body("status", equalTo("ignored"))
                .body("reason", containsString("pullrequest:comment_created"));
    }
}
