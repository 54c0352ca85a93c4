package io.trunkline.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system as separate processes: the four packaged services on one real Kafka broker
 * and one real PostgreSQL, WireMock standing in for Bitbucket and for the deploy target (which
 * answers 200 under {@code /deploy/} and 500 under {@code /broken/}).
 */
final class RunningSystem implements AutoCloseable {

    static final String WEBHOOK_SECRET = "e2e-webhook-secret-0123456789";
    static final String DEPLOY_TOKEN = "e2e-deploy-token-value";
    static final String BITBUCKET_TOKEN = "e2e-bitbucket-token-value";
    /** A repository's own webhook secret, set through promotion-service's configuration API. */
    static final String REPOSITORY_SECRET = "e2e-repository-own-secret-9876543210";
    /** Seals repositories' own webhook secrets: promotion-service and webhook-ingest need the same. */
    static final String SECRETS_KEY = "ZTJlLXRydW5rbGluZS1zZWNyZXRzLWtleS0zMmJ5dGU=";
    /** promotion-service and status-reporter run in local mode with the test key: an admin's token for their APIs. */
    static final String ADMIN_TOKEN = TestTokens.local("admin");
    private static final List<String> SERVICES =
            List.of("webhook-ingest", "promotion-service", "deploy-service", "status-reporter");

    final WireMockServer bitbucket = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    final WireMockServer target = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
    final List<ServiceProcess> services = new ArrayList<>();

    static RunningSystem start() {
        RunningSystem system = new RunningSystem();
        try {
            system.startAll();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startAll() {
        Path root = Path.of(System.getProperty("trunkline.root", "..")).toAbsolutePath().normalize();
        TestServers servers = TestServers.get();
        bitbucket.start();
        target.start();
        bitbucket.stubFor(post(urlPathMatching("/2.0/repositories/.*/statuses/build"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json").withBody("{}")));
        target.stubFor(post(urlPathMatching("/deploy/.*")).willReturn(aResponse().withStatus(200)));
        target.stubFor(post(urlPathMatching("/broken/.*")).willReturn(aResponse().withStatus(500)));
        target.stubFor(post(urlPathMatching("/own-secret/.*")).willReturn(aResponse().withStatus(200)));

        int statusPort = FreePorts.pick();
        Map<String, Map<String, String>> environments = Map.of(
                "webhook-ingest", Map.of("TRUNKLINE_WEBHOOK_SECRET", WEBHOOK_SECRET, "TRUNKLINE_SECRETS_KEY", SECRETS_KEY),
                "promotion-service", Map.of("TRUNKLINE_SECRETS_KEY", SECRETS_KEY),
                // a failing target is retried for 4 s (the default is 10 minutes), so that a test sees it end FAILED
                "deploy-service", Map.of("TRUNKLINE_TARGET_ALLOWED_HOSTS", "127.0.0.1", "TRUNKLINE_TARGET_E2E_DEPLOY_TOKEN", DEPLOY_TOKEN,
                        "TRUNKLINE_DEPLOY_RETRY_FOR", "4s"),
                "status-reporter", Map.of("TRUNKLINE_BITBUCKET_API_URL", bitbucket.baseUrl() + "/2.0",
                        "TRUNKLINE_BITBUCKET_TOKEN", BITBUCKET_TOKEN,
                        "TRUNKLINE_DASHBOARD_URL", "http://127.0.0.1:" + statusPort));
        for (String name : SERVICES) {
            Map<String, String> env = new HashMap<>(environments.get(name));
            env.put("KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers());
            env.put("TRUNKLINE_DB_URL", servers.database(name.replace('-', '_')));
            env.put("TRUNKLINE_DB_USERNAME", servers.postgresUser());
            env.put("TRUNKLINE_DB_PASSWORD", servers.postgresPassword());
            if (name.equals("promotion-service") || name.equals("status-reporter")) {
                env.putAll(TestTokens.localModeEnvironment()); // their APIs take TestTokens.local(...) tokens
            }
            int port = name.equals("status-reporter") ? statusPort : FreePorts.pick();
            services.add(ServiceProcess.start(root, name, port, env));
        }
        services.forEach(service -> service.awaitReady(Duration.ofSeconds(120)));
    }

    /** Configures a repository whose trunk {@code master} deploys to staging at {@code target + targetPath}. */
    void configure(String workspace, String slug, String targetPath) {
        configure(workspace, slug, targetPath, null);
    }

    /** {@link #configure(String, String, String)} with a webhook secret of the repository's own (null: none). */
    void configure(String workspace, String slug, String targetPath, String webhookSecret) {
        given().auth().oauth2(ADMIN_TOKEN).contentType(ContentType.JSON).body("""
                { "trunkBranch": "master", %s
                  "environments": [
                    { "name": "staging", "trigger": "trunk",
                      "target": { "type": "http", "method": "POST", "url": "%s%s",
                                  "auth": { "type": "bearer", "token": "env:TRUNKLINE_TARGET_E2E_DEPLOY_TOKEN" } } } ] }"""
                        .formatted(webhookSecret == null ? "" : "\"webhookSecret\": \"" + webhookSecret + "\",",
                                target.baseUrl(), targetPath))
                .put(services.get(1).baseUrl() + "/api/repositories/" + workspace + "/" + slug)
                .then().statusCode(anyOf(is(200), is(201)));
    }

    /** Posts a Bitbucket Cloud {@code repo:push} delivery signed with the global secret to webhook-ingest. */
    Response deliverPush(byte[] body, String deliveryId) {
        return deliverPush(body, deliveryId, WEBHOOK_SECRET);
    }

    /** Posts a Bitbucket Cloud {@code repo:push} delivery signed with {@code secret} to webhook-ingest. */
    Response deliverPush(byte[] body, String deliveryId, String secret) {
        return given().contentType(ContentType.JSON)
                .header("X-Event-Key", "repo:push")
                .header("X-Request-UUID", deliveryId)
                .header("X-Hub-Signature", WebhookSignature.sign(secret, body))
                .body(body)
                .post(services.get(0).baseUrl() + "/webhooks/bitbucket");
    }

    static String sign(byte[] body) {
        return WebhookSignature.sign(WEBHOOK_SECRET, body);
    }

    @Override
    public void close() {
        services.forEach(ServiceProcess::close);
        bitbucket.stop();
        target.stop();
    }
}
