package io.trunkline.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.trunkline.infra.test.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four packaged services as separate processes against one real Kafka broker and one real
 * PostgreSQL; WireMock stands in for Bitbucket and for the deploy target.
 */
class EndToEndIT {

    private static final String PUSHED_COMMIT = "141977fedf5cf35aa290ac87d4b5177ac4cd9de1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static RunningSystem system;
    private static WireMockServer bitbucket;
    private static WireMockServer target;

    @BeforeAll
    static void startSystem() {
        system = RunningSystem.start();
        bitbucket = system.bitbucket;
        target = system.target;
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void signedTrunkPushDeploysOnceAndReportsToBitbucket() throws IOException {
        system.configure("brydzewski", "foo", "/deploy/{commit}?environment={environment}");
        byte[] push = Fixtures.bytes("bitbucket-cloud/go-scm/push.json");
        String deliveryId = UUID.randomUUID().toString();

        String eventId = system.deliverPush(push, deliveryId).then().statusCode(202).extract().path("eventId");
        system.deliverPush(push, deliveryId).then().statusCode(202)
                .body("eventId", org.hamcrest.Matchers.equalTo(eventId));

        await().atMost(WAIT).untilAsserted(() -> assertThat(statesPosted(PUSHED_COMMIT)).contains("SUCCESSFUL"));
        List<LoggedRequest> deployCalls = target.findAll(postRequestedFor(urlPathMatching("/deploy/.*")));
        assertThat(deployCalls).singleElement().satisfies(call -> {
            assertThat(call.getUrl()).isEqualTo("/deploy/" + PUSHED_COMMIT + "?environment=staging");
            assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + RunningSystem.DEPLOY_TOKEN);
        });
        // queued updates of one status collapse to the latest: a quick deployment may show only its end
        List<String> states = statesPosted(PUSHED_COMMIT);
        assertThat(states).last().isEqualTo("SUCCESSFUL");
        assertThat(states.indexOf("SUCCESSFUL")).isGreaterThan(states.lastIndexOf("INPROGRESS"));
        bitbucket.verify(postRequestedFor(urlPathEqualTo(
                "/2.0/repositories/brydzewski/foo/commit/" + PUSHED_COMMIT + "/statuses/build"))
                .withHeader("Authorization", equalTo("Bearer " + RunningSystem.BITBUCKET_TOKEN))
                .withRequestBody(matchingJsonPath("$.key", equalTo("trunkline-staging"))));
        assertNoSecretInLogs();
    }

    @Test
    void failingTargetEndsFailedWithoutRetryStorm() throws IOException {
        system.configure("brydzewski", "broken", "/broken/{commit}");
        String commit = "f".repeat(32) + "00000001";
        byte[] push = new String(Fixtures.bytes("bitbucket-cloud/go-scm/push.json"), StandardCharsets.UTF_8)
                .replace("brydzewski/foo", "brydzewski/broken")
                .replace(PUSHED_COMMIT, commit)
                .getBytes(StandardCharsets.UTF_8);

        system.deliverPush(push, UUID.randomUUID().toString()).then().statusCode(202);

        await().atMost(WAIT).untilAsserted(() -> assertThat(statesPosted(commit)).contains("FAILED"));
        int calls = target.findAll(postRequestedFor(urlPathMatching("/broken/.*"))).size();
        // retried with a doubling back-off from 500 ms for the 4 s budget RunningSystem gives: a handful of calls
        assertThat(calls).isBetween(2, 6);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(target.findAll(postRequestedFor(urlPathMatching("/broken/.*")))).hasSize(calls));
        assertThat(statesPosted(commit)).first().isEqualTo("INPROGRESS");
        assertThat(statesPosted(commit)).last().isEqualTo("FAILED");
        assertNoSecretInLogs();
    }

    @Test
    void repositoryWithItsOwnSecretAcceptsThatSecretAndNotTheGlobalOne() throws IOException {
        system.configure("brydzewski", "own-secret", "/own-secret/{commit}", RunningSystem.REPOSITORY_SECRET);
        byte[] push = new String(Fixtures.bytes("bitbucket-cloud/go-scm/push.json"), StandardCharsets.UTF_8)
                .replace("brydzewski/foo", "brydzewski/own-secret")
                .replace(PUSHED_COMMIT, "a".repeat(32) + "00000002")
                .getBytes(StandardCharsets.UTF_8);

        // promotion-service publishes the secret sealed on trunkline.repository-secrets; webhook-ingest applies it
        await().atMost(WAIT).untilAsserted(() -> system.deliverPush(push, UUID.randomUUID().toString(),
                RunningSystem.REPOSITORY_SECRET).then().statusCode(202));
        system.deliverPush(push, UUID.randomUUID().toString(), RunningSystem.WEBHOOK_SECRET).then().statusCode(401);
        assertNoSecretInLogs();
    }

    private static void assertNoSecretInLogs() {
        for (ServiceProcess service : system.services) {
            assertThat(service.log()).doesNotContain(RunningSystem.WEBHOOK_SECRET, RunningSystem.DEPLOY_TOKEN,
                    RunningSystem.BITBUCKET_TOKEN, RunningSystem.REPOSITORY_SECRET, RunningSystem.SECRETS_KEY);
        }
    }

    private static List<String> statesPosted(String commit) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<String> states = new ArrayList<>();
        List<ServeEvent> oldestFirst = new ArrayList<>(bitbucket.getAllServeEvents());
        Collections.reverse(oldestFirst);
        for (ServeEvent event : oldestFirst) {
            if (event.getRequest().getUrl().contains("/commit/" + commit + "/statuses/build")) {
                JsonNode body = mapper.readTree(event.getRequest().getBodyAsString());
                states.add(body.path("state").asText());
            }
        }
        return states;
    }
}
