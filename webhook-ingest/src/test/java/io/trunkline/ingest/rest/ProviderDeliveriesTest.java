package io.trunkline.ingest.rest;

import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.dataCenterPush;
import static io.trunkline.ingest.support.Deliveries.post;
import static io.trunkline.ingest.support.Deliveries.postCloud;
import static io.trunkline.ingest.support.Deliveries.postDataCenter;
import static io.trunkline.ingest.support.Deliveries.pullRequest;
import static io.trunkline.ingest.support.Deliveries.push;
import static io.trunkline.ingest.support.Deliveries.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.ScmEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Data Center pushes and pull-request changes of both providers, proven on the topic: one event per
 * changed ref, the provider in every key, and each provider's redelivery semantics.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class ProviderDeliveriesTest {

    private static List<String> ids(List<? extends TrunklineEvent> events) {
        return events.stream().map(event -> event.eventId().toString()).toList();
    }

    @Test
    void aPushOfSeveralRefsIsOneEventPerRefInTheirOrder() {
        String repository = Deliveries.newRepository();
        String x = commit();
        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(), repository)) {
            ExtractableResponse<Response> answer = post(push(repository, branch("main", commit(), x), tag("v1", null, x)),
                    UUID.randomUUID().toString())
                    .statusCode(202).body("eventIds", hasSize(2)).body("duplicate", equalTo(false)).extract();

            List<RefsPushed> events = published.settled();
            assertThat(ids(events)).containsExactlyElementsOf(answer.path("eventIds"));
            assertThat(answer.<String>path("eventId")).isEqualTo(ids(events).get(0));
            assertThat(events).extracting(event -> event.changes().get(0).refName()).containsExactly("main", "v1");
            assertThat(events).allSatisfy(event -> assertThat(event.changes()).hasSize(1));
        }
    }

    @Test
    void aDataCenterPushIsPublishedOnceUnderItsProvidersKey() {
        String repository = Deliveries.newDataCenterRepository();
        String x = commit();
        String y = commit();
        byte[] body = dataCenterPush(repository, branch("main", x, y));
        String requestId = UUID.randomUUID().toString();
        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(),
                ScmProvider.BITBUCKET_DATA_CENTER, repository)) {
            String eventId = postDataCenter("repo:refs_changed", body, requestId)
                    .statusCode(202).body("duplicate", equalTo(false)).extract().path("eventId");
            postDataCenter("repo:refs_changed", body, requestId)
                    .statusCode(202).body("duplicate", equalTo(true)).body("eventId", equalTo(eventId));
            // the same change through a second webhook
            postDataCenter("repo:refs_changed", body, UUID.randomUUID().toString())
                    .statusCode(202).body("duplicate", equalTo(true)).body("eventId", equalTo(eventId));

            assertThat(published.settled()).singleElement().satisfies(event -> {
                assertThat(event.eventId().toString()).isEqualTo(eventId);
                assertThat(event.partitionKey()).isEqualTo("bitbucket-data-center:" + repository);
                assertThat(event.changes()).containsExactly(new RefChange(RefType.BRANCH, "main", x, y, false));
            });
        }
    }

    @Test
    void aCloudAndADataCenterRepositoryOfOneNameNeverMeet() {
        String repository = Deliveries.newDataCenterRepository();
        String x = commit();
        String y = commit();
        try (ScmEvents cloud = new ScmEvents(TestServers.get().bootstrapServers(), repository);
                ScmEvents dataCenter = new ScmEvents(TestServers.get().bootstrapServers(),
                        ScmProvider.BITBUCKET_DATA_CENTER, repository)) {
            post(push(repository, branch("main", x, y)), UUID.randomUUID().toString())
                    .statusCode(202).body("duplicate", equalTo(false));
            postDataCenter("repo:refs_changed", dataCenterPush(repository, branch("main", x, y)),
                    UUID.randomUUID().toString())
                    .statusCode(202).body("duplicate", equalTo(false));

            assertThat(cloud.settled()).singleElement()
                    .satisfies(event -> assertThat(event.partitionKey()).isEqualTo("bitbucket-cloud:" + repository));
            assertThat(dataCenter.settled()).singleElement()
                    .satisfies(event -> assertThat(event.partitionKey()).isEqualTo("bitbucket-data-center:" + repository));
        }
    }

    @Test
    void aPullRequestDeliveryIsPublishedOnceByItsDeliveryId() {
        String repository = Deliveries.newRepository();
        byte[] body = pullRequest(repository, 7, "0123456789ab");
        String delivery = UUID.randomUUID().toString();
        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(), repository)) {
            String first = postCloud("pullrequest:created", body, delivery)
                    .statusCode(202).body("duplicate", equalTo(false)).extract().path("eventId");
            postCloud("pullrequest:created", body, delivery)
                    .statusCode(202).body("duplicate", equalTo(true)).body("eventId", equalTo(first));
            String update = postCloud("pullrequest:updated", body, UUID.randomUUID().toString())
                    .statusCode(202).body("duplicate", equalTo(false)).extract().path("eventId");

            List<TrunklineEvent> events = published.settledEvents();
            assertThat(ids(events)).containsExactly(first, update);
            assertThat(events).allSatisfy(event -> {
                PullRequestChanged change = (PullRequestChanged) event;
                assertThat(change.pullRequestId()).isEqualTo(7);
                assertThat(change.sourceCommit()).isEqualTo("0123456789ab");
                assertThat(change.sourceCommitAbbreviated()).isTrue();
                assertThat(change.partitionKey()).isEqualTo("bitbucket-cloud:" + repository);
            });
            assertThat(events).extracting(event -> ((PullRequestChanged) event).action())
                    .containsExactly(PullRequestAction.OPENED, PullRequestAction.UPDATED);
        }
    }

    @Test
    void aDataCenterPingIs200() {
        byte[] ping = "{\"test\":true}".getBytes(StandardCharsets.UTF_8);

        postDataCenter("diagnostics:ping", ping, UUID.randomUUID().toString())
                .statusCode(200)
                .body("status", equalTo("ignored"))
                .body("reason", containsString("diagnostics:ping"));
        io.restassured.RestAssured.given().contentType("application/json").header("X-Event-Key", "diagnostics:ping")
                .header("X-Hub-Signature", WebhookSignature.sign("not-the-secret", ping)).body(ping)
                .post("/webhooks/bitbucket").then().statusCode(401);
    }
}
