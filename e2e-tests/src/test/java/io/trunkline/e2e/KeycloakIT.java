package io.trunkline.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.TestServers;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Trunkline against a real OIDC provider: Keycloak ({@link KeycloakServer}) with the realm export of
 * {@code infra/keycloak}, and the packaged promotion-service and status-reporter configured as an operator
 * would ({@code TRUNKLINE_AUTH_MODE=oidc}, {@code TRUNKLINE_OIDC_URL}) on the real broker and database.
 * Tokens Keycloak issues to its demo users (password grant) and to the machine client (client credentials)
 * open what their role grants and get {@code 403} elsewhere; no token, or a token of another realm carrying
 * the audience and the admin role, gets {@code 401}. Then the dashboard signs in through Keycloak's login
 * page in Debian's Chromium (authorization code + PKCE; {@code status-reporter/src/test/browser/keycloak-sign-in.mjs}).
 * One Keycloak serves both checks.
 */
class KeycloakIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRETS_KEY = "a2V5Y2xvYWstaXQtc2VjcmV0cy1rZXktMzJieXRlcyE=";
    private static final RepositoryRef SHOP = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");

    private static Path root;
    private static KeycloakServer keycloak;
    private static WireMockServer bitbucket;
    private static ServiceProcess promotion;
    private static ServiceProcess status;

    @BeforeAll
    static void start() {
        root = Path.of(System.getProperty("trunkline.root", "..")).toAbsolutePath().normalize();
        Path logs = root.resolve("e2e-tests/target/e2e-logs");
        int statusPort = FreePorts.pick();
        String dashboardOrigin = "http://127.0.0.1:" + statusPort;
        keycloak = KeycloakServer.start(root.resolve("infra/keycloak/trunkline-realm.json"), dashboardOrigin,
                logs.resolve("keycloak.log"));
        TestServers servers = TestServers.get();
        bitbucket = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        bitbucket.start();
        bitbucket.stubFor(post(urlPathMatching("/2.0/repositories/.*")).willReturn(aResponse().withStatus(201)
                .withHeader("Content-Type", "application/json").withBody("{\"id\": 1}")));

        // the services start beside Keycloak, not after it: each waits 10 s for the provider, then connects on its first
        // request (trying for up to QUARKUS_OIDC_CONNECTION_DELAY); the tests begin once all three are ready
        Map<String, String> common = new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers(),
                "TRUNKLINE_DB_USERNAME", servers.postgresUser(),
                "TRUNKLINE_DB_PASSWORD", servers.postgresPassword(),
                "TRUNKLINE_AUTH_MODE", "oidc",
                "TRUNKLINE_OIDC_URL", keycloak.issuer(KeycloakServer.REALM),
                "QUARKUS_OIDC_CONNECTION_DELAY", "180s",
                "TRUNKLINE_BITBUCKET_API_URL", bitbucket.baseUrl() + "/2.0",
                "TRUNKLINE_DASHBOARD_URL", dashboardOrigin));
        int promotionPort = FreePorts.pick();
        Map<String, String> promotionEnv = new HashMap<>(common);
        promotionEnv.put("TRUNKLINE_DB_URL", servers.database("promotion_service_keycloak"));
        promotionEnv.put("TRUNKLINE_SECRETS_KEY", SECRETS_KEY);
        promotion = ServiceProcess.start(root, "promotion-service", promotionPort, promotionEnv,
                logs.resolve("keycloak-promotion-service.log"), false);
        Map<String, String> statusEnv = new HashMap<>(common);
        statusEnv.put("TRUNKLINE_DB_URL", servers.database("status_reporter_keycloak"));
        statusEnv.put("TRUNKLINE_BITBUCKET_TOKEN", "keycloak-it-bitbucket-token");
        statusEnv.put("TRUNKLINE_PROMOTION_URL", "http://127.0.0.1:" + promotionPort);
        status = ServiceProcess.start(root, "status-reporter", statusPort, statusEnv, logs.resolve("keycloak-status-reporter.log"), false);

        keycloak.awaitReady(Duration.ofSeconds(180));
        promotion.awaitReady(Duration.ofSeconds(180));
        status.awaitReady(Duration.ofSeconds(180));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable part : new AutoCloseable[] {status, promotion, keycloak}) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                System.getLogger(KeycloakIT.class.getName()).log(System.Logger.Level.WARNING, "stopping " + part, e);
            }
        }
        if (bitbucket != null) {
            bitbucket.stop();
        }
    }

    @Test
    void keycloakTokensOpenWhatTheirRoleGrantsAndNothingElse() throws Exception {
        String viewer = keycloak.passwordToken(KeycloakServer.REALM, "viewer", "viewer");
        String operator = keycloak.passwordToken(KeycloakServer.REALM, "operator", "operator");
        String admin = keycloak.passwordToken(KeycloakServer.REALM, "admin", "admin");
        String machine = keycloak.clientCredentialsToken(KeycloakServer.REALM);
        assertThat(roles(viewer)).containsExactly("viewer");
        assertThat(roles(machine)).contains("operator").doesNotContain("admin");

        String configuration = "/api/repositories/acme/keycloak";
        String approve = "/api/deployments/" + UUID.randomUUID() + "/approve";
        // admin: configures (and the audit log records it under the Keycloak user's name), reads the audit log
        for (String refused : List.of(viewer, operator, machine)) {
            assertThat(call(promotion, "PUT", configuration, refused, repositoryConfiguration())).isEqualTo(403);
            assertThat(call(promotion, "GET", "/api/audit", refused, null)).isEqualTo(403);
        }
        assertThat(call(promotion, "PUT", configuration, admin, repositoryConfiguration())).isIn(200, 201);
        assertThat(call(promotion, "GET", "/api/audit", admin, null)).isEqualTo(200);
        JsonNode audit = JSON.readTree(body(promotion, "/api/audit?repository=acme/keycloak", admin));
        assertThat(audit.path("items").get(0).path("subject").asText()).isEqualTo("admin");
        assertThat(audit.path("items").get(0).path("roles").toString()).contains("admin");

        // operator (a person's or the machine client's): commands; the deployment is unknown, so past the role check 404
        assertThat(call(promotion, "POST", approve, viewer, "{}")).isEqualTo(403);
        for (String allowed : List.of(operator, machine, admin)) {
            assertThat(call(promotion, "POST", approve, allowed, "{}")).isEqualTo(404);
        }

        // viewer: reads, on both services
        for (String allowed : List.of(viewer, operator, admin, machine)) {
            assertThat(call(promotion, "GET", configuration, allowed, null)).isEqualTo(200);
            assertThat(call(status, "GET", "/api/environments", allowed, null)).isEqualTo(200);
            assertThat(call(status, "GET", "/api/deployments", allowed, null)).isEqualTo(200);
            assertThat(call(status, "GET", "/api/metrics/dora", allowed, null)).isEqualTo(200);
        }
    }

    @Test
    void noTokenAndATokenOfAnotherRealmAreRefusedWith401() throws Exception {
        String otherRealmAdmin = keycloak.passwordToken(KeycloakServer.OTHER_REALM, "admin", "admin");
        JsonNode claims = claims(otherRealmAdmin);
        assertThat(claims.path("iss").asText()).isEqualTo(keycloak.issuer(KeycloakServer.OTHER_REALM));
        assertThat(claims.path("aud").toString()).contains("trunkline");
        assertThat(roles(otherRealmAdmin)).contains("admin");

        for (String token : new String[] {null, otherRealmAdmin, "not-a-token"}) {
            assertThat(call(promotion, "GET", "/api/audit", token, null)).isEqualTo(401);
            assertThat(call(promotion, "PUT", "/api/repositories/acme/elsewhere", token, repositoryConfiguration())).isEqualTo(401);
            assertThat(call(promotion, "POST", "/api/deployments/" + UUID.randomUUID() + "/approve", token, "{}")).isEqualTo(401);
            assertThat(call(status, "GET", "/api/environments", token, null)).isEqualTo(401);
            assertThat(call(status, "GET", "/api/events", token, null)).isEqualTo(401);
        }
    }

    @Test
    void dashboardSignsInThroughKeycloakAndShowsOnlyWhatTheRoleAllows() throws Exception {
        UUID staging = UUID.randomUUID();
        UUID waiting = UUID.randomUUID();
        String stagingCommit = "5f0c2a9e1b7d4c3a8e6f9b0d1c2e3f4a5b6c7d8e";
        Instant now = Instant.now();
        produce(new DeploymentStateChanged(UUID.randomUUID(), now.minusSeconds(120), staging, SHOP, "staging",
                        DeploymentOperation.DEPLOY, stagingCommit, null, DeploymentState.SUCCEEDED, "Target answered 200"),
                new DeploymentStateChanged(UUID.randomUUID(), now.minusSeconds(60), waiting, SHOP, "production",
                        DeploymentOperation.DEPLOY, stagingCommit, null, DeploymentState.WAITING_APPROVAL,
                        "Production needs an approval"));
        String viewer = keycloak.passwordToken(KeycloakServer.REALM, "viewer", "viewer");
        await().atMost(Duration.ofSeconds(30)).until(() -> call(status, "GET", "/api/deployments/" + waiting, viewer, null) == 200);

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("repository", SHOP.fullName());
        expected.put("stagingCommit", stagingCommit.substring(0, 10));
        expected.put("waitingDeployment", waiting.toString());
        Path screenshots = root.resolve("e2e-tests/target/screenshots");
        Files.createDirectories(screenshots);
        List<String> output = runBrowser(expected, screenshots);

        assertThat(output).contains("PASS");
        assertThat(screenshots.resolve("keycloak-viewer.png")).isNotEmptyFile();
        assertThat(screenshots.resolve("keycloak-operator.png")).isNotEmptyFile();
    }

    private static List<String> runBrowser(Map<String, String> expected, Path screenshots) throws IOException, InterruptedException {
        Path browserDir = root.resolve("status-reporter/src/test/browser");
        Path chromium = Path.of(System.getProperty("trunkline.chromium", "/usr/bin/chromium"));
        assertThat(chromium).as("Debian's chromium (apt-get install chromium; .ci/run installs it)").isExecutable();
        assertThat(browserDir.resolve("node_modules/playwright-core"))
                .as("playwright-core (npm install --prefix %s; .ci/run installs it)", browserDir).isDirectory();
        ProcessBuilder builder = new ProcessBuilder("node", browserDir.resolve("keycloak-sign-in.mjs").toString())
                .redirectErrorStream(true);
        builder.environment().put("BASE_URL", status.baseUrl());
        builder.environment().put("KEYCLOAK_URL", keycloak.baseUrl());
        builder.environment().put("CHROMIUM", chromium.toString());
        builder.environment().put("SCREENSHOT_DIR", screenshots.toString());
        builder.environment().put("EXPECTED", JSON.writeValueAsString(expected));
        Process node = builder.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                System.getLogger("keycloak-sign-in.mjs").log(System.Logger.Level.INFO, line);
            }
        }
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("keycloak-sign-in.mjs failed:\n%s", String.join("\n", output)).isZero();
        return output;
    }

    private static void produce(DeploymentStateChanged... events) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestServers.get().bootstrapServers());
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
            for (DeploymentStateChanged event : events) {
                producer.send(CloudEventHeaders.record(Topics.DEPLOYMENT_STATUS, event, "deploy-service"));
            }
            producer.flush();
        }
    }

    private static String repositoryConfiguration() {
        return """
                { "trunkBranch": "main",
                  "environments": [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.test/hook" } } ] }""";
    }

    /** The status of {@code method path} with {@code token} as bearer token (none when null). */
    private static int call(ServiceProcess service, String method, String path, String token, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).timeout(Duration.ofSeconds(10))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (path.equals("/api/events")) {
            request.header("Accept", "text/event-stream");
        }
        HttpResponse<Void> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding());
        return response.statusCode();
    }

    private static String body(ServiceProcess service, String path, String token) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static JsonNode claims(String token) {
        try {
            return JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> roles(String token) {
        List<String> roles = new ArrayList<>();
        claims(token).path("realm_access").path("roles").forEach(role -> roles.add(role.asText()));
        return roles;
    }
}
