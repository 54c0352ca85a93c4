package io.trunkline.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.infra.test.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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

    /**
     * No secret the system is given or told reaches a log line of any service, a record (key, value or header) of any
     * topic read from its beginning, or an answer of any API this test calls, after a deployment went through with
     * each of them in use: the global and a repository's own webhook secret, the target's token, the Bitbucket token,
     * the admin token and the key that seals webhook secrets.
     */
    @Test
    void noSecretReachesALogAnEventOrAnApiResponse() throws IOException {
        // a path of its own: other tests count the calls under /deploy/
        system.configure("brydzewski", "secrets-scan", "/own-secret/scan/{commit}", RunningSystem.REPOSITORY_SECRET);
        String commit = "c".repeat(32) + "00000003";
        byte[] push = new String(Fixtures.bytes("bitbucket-cloud/go-scm/push.json"), StandardCharsets.UTF_8)
                .replace("brydzewski/foo", "brydzewski/secrets-scan")
                .replace(PUSHED_COMMIT, commit)
                .getBytes(StandardCharsets.UTF_8);
        List<String> answers = new ArrayList<>();
        await().atMost(WAIT).untilAsserted(() -> {
            Response delivered = system.deliverPush(push, UUID.randomUUID().toString(), RunningSystem.REPOSITORY_SECRET);
            answers.add(delivered.asString());
            assertThat(delivered.statusCode()).isEqualTo(202);
        });
        answers.add(system.deliverPush(push, UUID.randomUUID().toString(), RunningSystem.WEBHOOK_SECRET).asString());
        await().atMost(WAIT).untilAsserted(() -> assertThat(statesPosted(commit)).contains("SUCCESSFUL"));

        String promotion = system.services.get(1).baseUrl();
        String status = system.services.get(3).baseUrl();
        for (String url : List.of(promotion + "/api/repositories/brydzewski/secrets-scan", promotion + "/api/audit",
                status + "/api/deployments", status + "/api/environments", status + "/api/metrics/dora",
                promotion + "/q/openapi", status + "/q/health/ready", promotion + "/q/metrics")) {
            Response answer = given().auth().oauth2(RunningSystem.ADMIN_TOKEN).get(url);
            assertThat(answer.statusCode()).as(url).isEqualTo(200);
            answers.add(answer.asString());
        }
        String deploymentId = given().auth().oauth2(RunningSystem.ADMIN_TOKEN).get(status + "/api/deployments")
                .then().extract().path("items[0].id");
        if (deploymentId != null) {
            answers.add(given().auth().oauth2(RunningSystem.ADMIN_TOKEN).get(status + "/api/deployments/" + deploymentId)
                    .asString());
        }
        // a secret pasted where its reference belongs, and a credential reference reaching for a service's secret
        for (String token : List.of(RunningSystem.DEPLOY_TOKEN, "env:TRUNKLINE_DB_PASSWORD", "file:/etc/passwd")) {
            Response refused = given().auth().oauth2(RunningSystem.ADMIN_TOKEN).contentType(ContentType.JSON).body("""
                    { "environments": [ { "name": "staging", "trigger": "trunk",
                        "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}",
                                    "auth": { "type": "bearer", "token": "%s" } } } ] }""".formatted(token))
                    .put(promotion + "/api/repositories/brydzewski/secrets-refused");
            assertThat(refused.statusCode()).as(token).isEqualTo(400);
            answers.add(refused.asString());
        }

        String[] secrets = {RunningSystem.WEBHOOK_SECRET, RunningSystem.REPOSITORY_SECRET, RunningSystem.DEPLOY_TOKEN,
                RunningSystem.BITBUCKET_TOKEN, RunningSystem.ADMIN_TOKEN, RunningSystem.SECRETS_KEY};
        assertThat(answers).hasSizeGreaterThan(10).allSatisfy(answer -> assertThat(answer).doesNotContain(secrets));
        List<String> records = everyRecordOfEveryTopic();
        assertThat(records).as("records on the topics").hasSizeGreaterThan(5)
                .anySatisfy(record -> assertThat(record).contains(commit))
                .allSatisfy(record -> assertThat(record).doesNotContain(secrets));
        assertNoSecretInLogs();
    }

    /** Every record of every topic, from the beginning to the end offsets of now: key, value and headers as text. */
    private static List<String> everyRecordOfEveryTopic() {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        List<String> records = new ArrayList<>();
        try (Admin admin = Admin.create(config);
                KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                        new ByteArrayDeserializer())) {
            Set<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get();
            assertThat(topics).contains("trunkline.scm-events", "trunkline.deploy-requests",
                    "trunkline.deployment-status", "trunkline.repository-secrets");
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : topics) {
                consumer.partitionsFor(topic).forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
                assertThat(System.nanoTime()).as("reading every topic to its end").isLessThan(deadline);
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    StringBuilder text = new StringBuilder(record.topic()).append(' ');
                    text.append(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8)).append(' ');
                    record.headers().forEach(header -> text.append(header.key()).append('=')
                            .append(header.value() == null ? "" : new String(header.value(), StandardCharsets.UTF_8))
                            .append(' '));
                    text.append(record.value() == null ? "" : new String(record.value(), StandardCharsets.UTF_8));
                    records.add(text.toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
        return records;
    }

    private static void assertNoSecretInLogs() {
        for (ServiceProcess service : system.services) {
            assertThat(service.log()).as(service.name() + "'s log").doesNotContain(RunningSystem.WEBHOOK_SECRET,
                    RunningSystem.DEPLOY_TOKEN, RunningSystem.BITBUCKET_TOKEN, RunningSystem.REPOSITORY_SECRET,
                    RunningSystem.SECRETS_KEY, RunningSystem.ADMIN_TOKEN);
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
