package io.trunkline.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.restassured.http.ContentType;
import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.Fixtures;
import io.trunkline.infra.test.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The four packaged services as separate processes against one real Kafka broker and one real
 * PostgreSQL; WireMock stands in for Bitbucket and for the deploy target.
 */
class EndToEndIT {

    private static final String SECRET = "e2e-webhook-secret-0123456789";
    private static final String DEPLOY_TOKEN = "e2e-deploy-token-value";
    private static final String BITBUCKET_TOKEN = "e2e-bitbucket-token-value";
    private static final String PUSHED_COMMIT = "141977fedf5cf35aa290ac87d4b5177ac4cd9de1";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final List<ServiceProcess> services = new ArrayList<>();
    private static WireMockServer bitbucket;
    private static WireMockServer target;
    private static ServiceProcess ingest;
    private static ServiceProcess promotion;

    @BeforeAll
    static void startSystem() {
        Path root = Path.of(System.getProperty("trunkline.root", "..")).toAbsolutePath().normalize();
        TestServers servers = TestServers.get();
        bitbucket = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        target = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        bitbucket.start();
        target.start();
        bitbucket.stubFor(post(urlPathMatching("/2.0/repositories/.*/statuses/build"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{}")));
        target.stubFor(post(urlPathMatching("/deploy/.*")).willReturn(aResponse().withStatus(200)));
        target.stubFor(post(urlPathMatching("/broken/.*")).willReturn(aResponse().withStatus(500)));

        int statusPort = FreePorts.pick();
        Map<String, Map<String, String>> environments = Map.of(
                "webhook-ingest", Map.of("TRUNKLINE_WEBHOOK_SECRET", SECRET),
                "promotion-service", Map.of(),
                "deploy-service", Map.of("TRUNKLINE_TARGET_ALLOWED_HOSTS", "127.0.0.1", "E2E_DEPLOY_TOKEN", DEPLOY_TOKEN),
                "status-reporter", Map.of("TRUNKLINE_BITBUCKET_API_URL", bitbucket.baseUrl() + "/2.0",
                        "TRUNKLINE_BITBUCKET_TOKEN", BITBUCKET_TOKEN,
                        "TRUNKLINE_DASHBOARD_URL", "http://127.0.0.1:" + statusPort));
        for (String name : List.of("webhook-ingest", "promotion-service", "deploy-service", "status-reporter")) {
            Map<String, String> env = new HashMap<>(environments.get(name));
            env.put("KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers());
            env.put("TRUNKLINE_DB_URL", servers.database(name.replace('-', '_')));
            env.put("TRUNKLINE_DB_USERNAME", servers.postgresUser());
            env.put("TRUNKLINE_DB_PASSWORD", servers.postgresPassword());
            int port = name.equals("status-reporter") ? statusPort : FreePorts.pick();
            services.add(ServiceProcess.start(root, name, port, env));
        }
        services.forEach(service -> service.awaitReady(Duration.ofSeconds(120)));
        ingest = services.get(0);
        promotion = services.get(1);
    }

    @AfterAll
    static void stopSystem() {
        services.forEach(ServiceProcess::close);
        Stream.of(bitbucket, target).filter(server -> server != null).forEach(WireMockServer::stop);
    }

    @Test
    void signedTrunkPushDeploysOnceAndReportsToBitbucket() throws IOException {
        configure("brydzewski", "foo", "/deploy/{commit}?environment={environment}");
        byte[] push = Fixtures.bytes("bitbucket-cloud/go-scm/push.json");
        String deliveryId = UUID.randomUUID().toString();

        String eventId = deliver(push, deliveryId).then().statusCode(202).extract().path("eventId");
        deliver(push, deliveryId).then().statusCode(202)
                .body("eventId", org.hamcrest.Matchers.equalTo(eventId));

        await().atMost(WAIT).untilAsserted(() -> assertThat(statesPosted(PUSHED_COMMIT)).contains("SUCCESSFUL"));
        List<LoggedRequest> deployCalls = target.findAll(postRequestedFor(urlPathMatching("/deploy/.*")));
        assertThat(deployCalls).singleElement().satisfies(call -> {
            assertThat(call.getUrl()).isEqualTo("/deploy/" + PUSHED_COMMIT + "?environment=staging");
            assertThat(call.getHeader("Authorization")).isEqualTo("Bearer " + DEPLOY_TOKEN);
        });
        List<String> states = statesPosted(PUSHED_COMMIT);
        assertThat(states).first().isEqualTo("INPROGRESS");
        assertThat(states).last().isEqualTo("SUCCESSFUL");
        assertThat(states.indexOf("SUCCESSFUL")).isGreaterThan(states.lastIndexOf("INPROGRESS"));
        bitbucket.verify(postRequestedFor(urlPathEqualTo(
                "/2.0/repositories/brydzewski/foo/commit/" + PUSHED_COMMIT + "/statuses/build"))
                .withHeader("Authorization", equalTo("Bearer " + BITBUCKET_TOKEN))
                .withRequestBody(matchingJsonPath("$.key", equalTo("trunkline-staging"))));
        assertNoSecretInLogs();
    }

    @Test
    void failingTargetEndsFailedWithoutRetryStorm() throws IOException {
        configure("brydzewski", "broken", "/broken/{commit}");
        String commit = "f".repeat(32) + "00000001";
        byte[] push = new String(Fixtures.bytes("bitbucket-cloud/go-scm/push.json"), StandardCharsets.UTF_8)
                .replace("brydzewski/foo", "brydzewski/broken")
                .replace(PUSHED_COMMIT, commit)
                .getBytes(StandardCharsets.UTF_8);

        deliver(push, UUID.randomUUID().toString()).then().statusCode(202);

        await().atMost(WAIT).untilAsserted(() -> assertThat(statesPosted(commit)).contains("FAILED"));
        int calls = target.findAll(postRequestedFor(urlPathMatching("/broken/.*"))).size();
        assertThat(calls).isBetween(1, 3);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(target.findAll(postRequestedFor(urlPathMatching("/broken/.*")))).hasSize(calls));
        assertThat(statesPosted(commit)).first().isEqualTo("INPROGRESS");
        assertThat(statesPosted(commit)).last().isEqualTo("FAILED");
        assertNoSecretInLogs();
    }

    private static void assertNoSecretInLogs() {
        for (ServiceProcess service : services) {
            assertThat(service.log()).doesNotContain(SECRET, DEPLOY_TOKEN, BITBUCKET_TOKEN);
        }
    }

    private static void configure(String workspace, String slug, String targetPath) {
        given().contentType(ContentType.JSON).body("""
                { "trunkBranch": "master",
                  "environments": [
                    { "name": "staging", "trigger": "trunk",
                      "target": { "type": "http", "method": "POST", "url": "%s%s",
                                  "auth": { "type": "bearer", "token": "env:E2E_DEPLOY_TOKEN" } } } ] }"""
                        .formatted(target.baseUrl(), targetPath))
                .put(promotion.baseUrl() + "/api/repositories/" + workspace + "/" + slug)
                .then().statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(200), org.hamcrest.Matchers.is(201)));
    }

    private static io.restassured.response.Response deliver(byte[] body, String deliveryId) {
        return given().contentType(ContentType.JSON)
                .header("X-Event-Key", "repo:push")
                .header("X-Request-UUID", deliveryId)
                .header("X-Hub-Signature", sign(body))
                .body(body)
                .post(ingest.baseUrl() + "/webhooks/bitbucket");
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

    private static String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
