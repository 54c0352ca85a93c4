package io.trunkline.ingest.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every fixture, signed and sent as Bitbucket sends it, then sent again with the same delivery id:
 * what we act on is 202 and its retry a duplicate of it, everything else 200 with a reason, both
 * times. Nothing Bitbucket sends is a 4xx or a 5xx.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class FixtureReplayTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Cloud sends the event key in a header only; fixtures/README.md names each file's. */
    private static final Map<String, String> CLOUD_EVENT_KEYS = Map.ofEntries(
            Map.entry("go-scm/push.json", "repo:push"),
            Map.entry("go-scm/push_branch_create.json", "repo:push"),
            Map.entry("go-scm/push_branch_delete.json", "repo:push"),
            Map.entry("go-scm/push_tag_create.json", "repo:push"),
            Map.entry("go-scm/push_tag_delete.json", "repo:push"),
            Map.entry("go-scm/pr_created.json", "pullrequest:created"),
            Map.entry("go-scm/pr_updated.json", "pullrequest:updated"),
            Map.entry("go-scm/pr_fulfilled.json", "pullrequest:fulfilled"),
            Map.entry("go-scm/pr_declined.json", "pullrequest:rejected"),
            Map.entry("go-scm/pr_comment_created.json", "pullrequest:comment_created"),
            Map.entry("go-scm/pr_comment_deleted.json", "pullrequest:comment_deleted"),
            Map.entry("go-scm/pipeline_hook_created.json", "repo:commit_status_created"),
            Map.entry("go-scm/pipeline_hook_update.json", "repo:commit_status_updated"),
            Map.entry("go-playground/commit-comment-created.json", "repo:commit_comment_created"),
            Map.entry("go-playground/issue-comment-created.json", "issue:comment_created"),
            Map.entry("go-playground/issue-created.json", "issue:created"),
            Map.entry("go-playground/issue-updated.json", "issue:updated"),
            Map.entry("go-playground/pull-request-approval-removed.json", "pullrequest:unapproved"),
            Map.entry("go-playground/pull-request-approved.json", "pullrequest:approved"),
            Map.entry("go-playground/pull-request-comment-created.json", "pullrequest:comment_created"),
            Map.entry("go-playground/pull-request-comment-deleted.json", "pullrequest:comment_deleted"),
            Map.entry("go-playground/pull-request-comment-updated.json", "pullrequest:comment_updated"),
            Map.entry("go-playground/pull-request-created.json", "pullrequest:created"),
            Map.entry("go-playground/pull-request-declined.json", "pullrequest:rejected"),
            Map.entry("go-playground/pull-request-merged.json", "pullrequest:fulfilled"),
            Map.entry("go-playground/pull-request-updated.json", "pullrequest:updated"),
            Map.entry("go-playground/repo-commit-status-created.json", "repo:commit_status_created"),
            Map.entry("go-playground/repo-commit-status-updated.json", "repo:commit_status_updated"),
            Map.entry("go-playground/repo-fork.json", "repo:fork"),
            Map.entry("go-playground/repo-push.json", "repo:push"),
            Map.entry("go-playground/repo-updated.json", "repo:updated"));

    private static final String[] DATA_CENTER_FIXTURES = {
            "go-playground/pr-comment-added.json", "go-playground/pr-comment-deleted.json",
            "go-playground/pr-comment-edited.json", "go-playground/pr-declined.json", "go-playground/pr-deleted.json",
            "go-playground/pr-merged.json", "go-playground/pr-modified.json", "go-playground/pr-opened.json",
            "go-playground/pr-reviewer-approved.json", "go-playground/pr-reviewer-needs-work.json",
            "go-playground/pr-reviewer-unapproved.json", "go-playground/pr-reviewer-updated.json",
            "go-playground/repo-comment-added.json", "go-playground/repo-comment-deleted.json",
            "go-playground/repo-comment-edited.json", "go-playground/repo-forked.json",
            "go-playground/repo-modified.json", "go-playground/repo-refs-changed.json",
            "go-scm/fnb_push_branch_create.json", "go-scm/fnb_push_update.json", "go-scm/pr_declined.json",
            "go-scm/pr_declined_iso_dates.json", "go-scm/pr_deleted.json", "go-scm/pr_from_ref_updated.json",
            "go-scm/pr_merged.json", "go-scm/pr_merged_iso_dates.json", "go-scm/pr_modified_meta.json",
            "go-scm/pr_modified_toref.json", "go-scm/pr_open.json", "go-scm/pr_open_iso_dates.json",
            "go-scm/push.json", "go-scm/push_branch_create.json", "go-scm/push_branch_delete.json",
            "go-scm/push_tag_create.json", "go-scm/push_tag_delete.json", "go-scm/push_v5.json"};

    static Stream<Arguments> cloudFixtures() {
        return CLOUD_EVENT_KEYS.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(entry -> Arguments.of(entry.getKey(), entry.getValue()));
    }

    static Stream<Arguments> dataCenterFixtures() throws IOException {
        Stream.Builder<Arguments> fixtures = Stream.builder();
        for (String fixture : DATA_CENTER_FIXTURES) {
            String eventKey = MAPPER.readTree(Fixtures.bytes("bitbucket-dc/" + fixture)).path("eventKey").asText();
            fixtures.add(Arguments.of(fixture, eventKey));
        }
        fixtures.add(Arguments.of("ping", "diagnostics:ping"));
        return fixtures.build();
    }

    private static boolean actedOn(String eventKey) {
        return eventKey.equals("repo:push") || eventKey.equals("repo:refs_changed")
                || eventKey.matches("pullrequest:(created|updated|fulfilled|rejected)")
                || eventKey.matches("pr:(opened|from_ref_updated|merged|declined|deleted)");
    }

    private static ExtractableResponse<Response> send(String eventKey, byte[] body, String deliveryHeader,
            String deliveryId, String contentType) {
        return given().contentType(contentType)
                .header("X-Event-Key", eventKey)
                .header(deliveryHeader, deliveryId)
                .header("X-Hub-Signature", WebhookSignature.sign(Deliveries.SECRET, body))
                .body(body)
                .post("/webhooks/bitbucket")
                .then().extract();
    }

    private static void sendTwice(String eventKey, byte[] body, String deliveryHeader, String contentType) {
        String deliveryId = UUID.randomUUID().toString();
        ExtractableResponse<Response> first = send(eventKey, body, deliveryHeader, deliveryId, contentType);
        ExtractableResponse<Response> again = send(eventKey, body, deliveryHeader, deliveryId, contentType);

        if (actedOn(eventKey)) {
            assertThat(first.statusCode()).as(first.asString()).isEqualTo(202);
            assertThat(again.statusCode()).isEqualTo(202);
            assertThat(again.<Boolean>path("duplicate")).isTrue();
            assertThat(again.<String>path("eventId")).isEqualTo(first.path("eventId"));
        } else {
            assertThat(first.statusCode()).as(first.asString()).isEqualTo(200);
            assertThat(first.<String>path("status")).isEqualTo("ignored");
            assertThat(again.statusCode()).isEqualTo(200);
        }
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("cloudFixtures")
    void everyCloudFixture(String fixture, String eventKey) {
        sendTwice(eventKey, Fixtures.bytes("bitbucket-cloud/" + fixture), "X-Request-UUID", "application/json");
    }

    @ParameterizedTest(name = "{0} as {1}")
    @MethodSource("dataCenterFixtures")
    void everyDataCenterFixture(String fixture, String eventKey) {
        byte[] body = fixture.equals("ping") ? "{\"test\":true}".getBytes() : Fixtures.bytes("bitbucket-dc/" + fixture);
        sendTwice(eventKey, body, "X-Request-Id", "application/json; charset=UTF-8");
    }
}
