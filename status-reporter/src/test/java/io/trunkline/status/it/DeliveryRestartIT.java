package io.trunkline.status.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.trunkline.status.DeploymentEvents.produce;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.StubMapping;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.TestServers;
import io.trunkline.status.DeploymentEvents;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two status-reporter instances sharing one database and consumer group, as a scaled deployment runs
 * them. While Bitbucket is down, states are recorded and their statuses queue up; one instance is
 * killed (SIGKILL) with updates pending; once Bitbucket is back the survivor posts every commit's final
 * status, the killed instance restarts without posting anything twice, and with both running each
 * status is posted by one of them only. The instances authenticate as an OAuth consumer (client credentials).
 */
class DeliveryRestartIT {

    private static final String DATABASE = "status_reporter_restart";
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOKEN_PATH = "/site/oauth2/access_token";
    private static final String ACCESS_TOKEN = "oauth-access-token-for-the-restart-test";
    private static final RepositoryRef REPOSITORY = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "restart");

    private static WireMockServer bitbucket;
    private static KafkaCompanion kafka;
    private static final List<StatusReporterProcess> instances = new ArrayList<>();

    @BeforeAll
    static void start() {
        bitbucket = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        bitbucket.start();
        // Bitbucket Cloud's token endpoint, as it answers an OAuth consumer's client-credentials grant
        bitbucket.stubFor(post(urlEqualTo(TOKEN_PATH)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"access_token\": \"" + ACCESS_TOKEN + "\", \"scopes\": \"repository:write pullrequest:write\", "
                        + "\"expires_in\": 7200, \"refresh_token\": \"unused\", \"token_type\": \"bearer\"}")));
        kafka = DeploymentEvents.kafka();
    }

    @AfterAll
    static void stop() {
        instances.forEach(StatusReporterProcess::close);
        if (kafka != null) {
            kafka.close();
        }
        if (bitbucket != null) {
            bitbucket.stop();
        }
    }

    @Test
    void pendingUpdatesSurviveAKilledInstanceAndTwoInstancesNeverPostTheSameUpdateTwice() throws Exception {
        StubMapping outage = bitbucket.stubFor(post(urlPathMatching("/2.0/repositories/acme/restart/.*"))
                .atPriority(1).willReturn(aResponse().withStatus(503)));
        StatusReporterProcess first = instance("restart-a");
        StatusReporterProcess second = instance("restart-b");

        List<DeploymentEvents> down = deployments(12);
        for (DeploymentEvents deployment : down) {
            produce(kafka, deployment.next(DeploymentState.QUEUED), deployment.next(DeploymentState.IN_PROGRESS),
                    deployment.next(DeploymentState.SUCCEEDED));
        }
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(
                "SELECT count(*) FROM deployment WHERE slug = 'restart' AND state = 'SUCCEEDED'")).isEqualTo(12));
        assertThat(count("SELECT count(*) FROM bitbucket_delivery WHERE slug = 'restart'")).isEqualTo(12);

        first.kill();
        instances.remove(first);
        // a post claimed before a deployment's last state arrived may still be on its way (it is followed by the
        // latest one): the outage ends once no update is claimed, so that every post Bitbucket takes is the latest
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(count(
                "SELECT count(*) FROM bitbucket_delivery WHERE slug = 'restart' AND claimed_until > now()")).isZero());
        bitbucket.removeStub(outage);
        bitbucket.stubFor(post(urlPathMatching("/2.0/repositories/acme/restart/.*")).atPriority(2)
                .willReturn(aResponse().withStatus(201)));

        await().atMost(PATIENCE).untilAsserted(() -> {
            for (DeploymentEvents deployment : down) {
                assertThat(accepted(deployment)).endsWith("SUCCESSFUL");
            }
        });
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM bitbucket_delivery WHERE slug = 'restart'")).isZero());
        StatusReporterProcess restarted = instance("restart-a");

        List<DeploymentEvents> up = deployments(20);
        for (DeploymentEvents deployment : up) {
            produce(kafka, deployment.next(DeploymentState.QUEUED), deployment.next(DeploymentState.FAILED, "Target down"));
        }
        await().atMost(PATIENCE).untilAsserted(() -> {
            for (DeploymentEvents deployment : up) {
                assertThat(accepted(deployment)).endsWith("FAILED");
            }
        });
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(count("SELECT count(*) FROM bitbucket_delivery WHERE slug = 'restart'")).isZero());
        for (DeploymentEvents deployment : down) {
            assertThat(accepted(deployment)).as("after the outage, one post per commit").containsExactly("SUCCESSFUL");
        }
        for (DeploymentEvents deployment : up) {
            assertThat(accepted(deployment)).as("no update posted by both instances").doesNotHaveDuplicates();
        }
        // authenticated as the OAuth consumer, with a token obtained once per instance and kept
        assertThat(bitbucket.findAll(postRequestedFor(urlPathMatching("/2.0/repositories/acme/restart/.*"))))
                .allSatisfy(request -> assertThat(request.getHeader("Authorization")).isEqualTo("Bearer " + ACCESS_TOKEN));
        List<LoggedRequest> tokenRequests = bitbucket.findAll(postRequestedFor(urlEqualTo(TOKEN_PATH)));
        assertThat(tokenRequests).hasSizeBetween(1, 3).allSatisfy(request -> {
            assertThat(request.getBodyAsString()).contains("grant_type=client_credentials");
            assertThat(request.getHeader("Authorization")).isEqualTo("Basic " + java.util.Base64.getEncoder()
                    .encodeToString("trunkline-consumer:consumer-secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        });
        assertThat(second.tail()).doesNotContain("ERROR");
        assertThat(restarted.tail()).doesNotContain("ERROR");
    }

    private static StatusReporterProcess instance(String name) {
        StatusReporterProcess instance = StatusReporterProcess.start(name, DATABASE, Map.of(
                "TRUNKLINE_BITBUCKET_API_URL", bitbucket.baseUrl() + "/2.0",
                "TRUNKLINE_BITBUCKET_OAUTH_CLIENT_ID", "trunkline-consumer",
                "TRUNKLINE_BITBUCKET_OAUTH_CLIENT_SECRET", "consumer-secret",
                "TRUNKLINE_BITBUCKET_OAUTH_TOKEN_URL", bitbucket.baseUrl() + TOKEN_PATH,
                "TRUNKLINE_DELIVERY_INITIAL_BACKOFF", "200ms",
                "TRUNKLINE_DELIVERY_MAX_BACKOFF", "1s",
                "TRUNKLINE_DELIVERY_POLL_INTERVAL", "1s",
                "TRUNKLINE_DELIVERY_CLAIM_TIMEOUT", "5s"));
        instances.add(instance);
        return instance;
    }

    private static List<DeploymentEvents> deployments(int count) {
        List<DeploymentEvents> deployments = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            deployments.add(new DeploymentEvents(REPOSITORY, "env-" + i));
        }
        return deployments;
    }

    /** The states Bitbucket accepted for the deployment's commit, in order. */
    private static List<String> accepted(DeploymentEvents deployment) {
        String path = "/2.0/repositories/acme/restart/commit/" + deployment.commit() + "/statuses/build";
        return bitbucket.getAllServeEvents().stream()
                .filter(event -> event.getRequest().getUrl().equals(path))
                .filter(event -> event.getResponse().getStatus() == 201)
                .sorted((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()))
                .map(event -> state(event.getRequest()))
                .toList();
    }

    private static String state(LoggedRequest request) {
        try {
            return JSON.readTree(request.getBodyAsString()).path("state").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(String sql) throws SQLException {
        TestServers servers = TestServers.get();
        try (Connection connection = DriverManager.getConnection(servers.database(DATABASE), servers.postgresUser(),
                servers.postgresPassword()); ResultSet result = connection.createStatement().executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }
}
