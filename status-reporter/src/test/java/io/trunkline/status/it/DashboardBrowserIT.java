package io.trunkline.status.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.VerificationResult;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.infra.test.TestTokens;
import io.trunkline.status.DeploymentEvents;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in a real browser: Debian's Chromium, headless, driven by Playwright
 * ({@code src/test/browser/dashboard.mjs}, playwright-core from npm) against the packaged
 * status-reporter running with real data on the real broker and database. The script checks what a
 * person sees (an environment's commit and state, a deployment's timeline, DORA figures), that a new
 * deployment appears without reloading, that approve can be reached and pressed from the keyboard and
 * a successful commit redeployed from its page,
 * that a narrow screen does not scroll sideways and that the console stays free of errors; it saves
 * screenshots under {@code target/screenshots}. This test checks the calls promotion-service got.
 */
class DashboardBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Status-reporter runs in local mode: this token lets the browser read, and is passed to promotion-service. */
    private static final String OPERATOR_TOKEN = TestTokens.local("operator");

    private static WireMockServer bitbucket;
    private static WireMockServer promotion;
    private static KafkaCompanion kafka;
    private static StatusReporterProcess app;

    @BeforeAll
    static void start() {
        bitbucket = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1"));
        bitbucket.start();
        bitbucket.stubFor(post(urlPathMatching("/2.0/repositories/.*/statuses/build")).willReturn(aResponse().withStatus(201)));
        bitbucket.stubFor(post(urlPathMatching("/2.0/repositories/.*/pullrequests/\\d+/comments")).willReturn(aResponse()
                .withStatus(201).withHeader("Content-Type", "application/json").withBody("{\"id\": 1}")));
        promotion = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1").stubCorsEnabled(true));
        promotion.start();
        promotion.stubFor(post(urlPathMatching("/api/deployments/[^/]+/approve")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"state\":\"QUEUED\"}")));
        promotion.stubFor(post(urlPathMatching("/api/repositories/[^/]+/[^/]+/environments/[^/]+/redeploy"))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json").withBody("{}")));
        kafka = DeploymentEvents.kafka();
        app = StatusReporterProcess.start("dashboard", "status_reporter_browser", Map.of(
                "TRUNKLINE_BITBUCKET_API_URL", bitbucket.baseUrl() + "/2.0",
                "TRUNKLINE_BITBUCKET_TOKEN", "bitbucket-token-never-shown",
                "TRUNKLINE_PROMOTION_URL", promotion.baseUrl()));
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (bitbucket != null) {
            bitbucket.stop();
        }
        if (promotion != null) {
            promotion.stop();
        }
    }

    @Test
    void personSeesEnvironmentsTimelineAndDoraLiveAndApprovesFromTheKeyboard() throws Exception {
        RepositoryRef shop = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant now = Instant.now();

        // production: a success, then two days later a failure restored an hour after: 1 of 3 failed, restored in 1 h
        DeploymentEvents p1 = new DeploymentEvents(shop, "production");
        DeploymentEvents p2 = new DeploymentEvents(shop, "production");
        DeploymentEvents p3 = new DeploymentEvents(shop, "production");
        produce(kafka, p1.at(at(today, -5, "10:00"), DeploymentState.QUEUED, "Tag release-1"),
                p1.at(at(today, -5, "10:05"), DeploymentState.SUCCEEDED, null),
                p2.at(at(today, -3, "10:00"), DeploymentState.QUEUED, "Tag release-2"),
                p2.at(at(today, -3, "10:05"), DeploymentState.FAILED, "Target answered 502 Bad Gateway"),
                p3.at(at(today, -3, "11:00"), DeploymentState.QUEUED, "Tag release-3"),
                p3.at(at(today, -3, "11:05"), DeploymentState.SUCCEEDED, null));
        // staging runs a commit, deployed through three states by a pipeline whose page deploy-service names
        DeploymentEvents staging = new DeploymentEvents(shop, "staging");
        String pipelinePage = "https://bitbucket.org/acme/shop/pipelines/results/42";
        produce(kafka, staging.at(now.minusSeconds(900), DeploymentState.QUEUED, "Push to main by alice"),
                staging.at(now.minusSeconds(880), DeploymentState.IN_PROGRESS, null).withTargetUrl(pipelinePage),
                staging.at(now.minusSeconds(840), DeploymentState.SUCCEEDED, "Target answered 200")
                        .withVerification(new VerificationResult(VerificationResult.PASSED, null, List.of(
                                new VerificationResult.CheckResult("health", "http", VerificationResult.PASSED, 3,
                                        "answered 200 at attempt 3", null),
                                new VerificationResult.CheckResult("smoke tests", "postman", VerificationResult.PASSED, 1,
                                        "2 requests, 4 of 4 assertions passed",
                                        new VerificationResult.PostmanSummary(2, 0, 4, 0, null)))))
                        .withTargetUrl(pipelinePage));
        // production waits for an operator's approval
        DeploymentEvents waiting = new DeploymentEvents(shop, "production");
        produce(kafka, waiting.at(now.minusSeconds(600), DeploymentState.WAITING_APPROVAL, "Production needs an approval"));
        // a preview of pull request 7
        DeploymentEvents preview = new DeploymentEvents(shop, "preview/pr-7").pullRequest(7);
        produce(kafka, preview.at(now.minusSeconds(300), DeploymentState.SUCCEEDED, null));
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/deployments/" + preview.deploymentId()) == 200);

        DeploymentEvents live = new DeploymentEvents(shop, "staging");
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("repository", shop.fullName());
        expected.put("stagingCommit", staging.commit().substring(0, 10));
        expected.put("stagingDeployment", staging.deploymentId().toString());
        expected.put("stagingTargetUrl", pipelinePage);
        expected.put("waitingDeployment", waiting.deploymentId().toString());
        expected.put("liveDeployment", live.deploymentId().toString());
        expected.put("operatorToken", OPERATOR_TOKEN);

        Path screenshots = Path.of(System.getProperty("trunkline.screenshots", "target/screenshots"));
        Files.createDirectories(screenshots);
        List<String> output = runBrowser(expected, screenshots, () ->
                produce(kafka, live.next(DeploymentState.QUEUED, "Push to main by bob")));

        assertThat(output).contains("PASS");
        assertThat(promotion.findAll(postRequestedFor(urlEqualTo("/api/deployments/" + waiting.deploymentId() + "/approve"))
                .withHeader("Authorization", equalTo("Bearer " + OPERATOR_TOKEN)))).hasSize(1);
        assertThat(promotion.findAll(postRequestedFor(urlEqualTo("/api/repositories/acme/shop/environments/staging/redeploy"))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.equalToJson(
                        "{\"commit\": \"" + staging.commit() + "\"}")))).hasSize(1);
        assertThat(bitbucket.findAll(postRequestedFor(urlEqualTo("/2.0/repositories/acme/shop/pullrequests/7/comments"))))
                .hasSize(1);
        assertThat(screenshots.resolve("dashboard.png")).isNotEmptyFile();
        assertThat(screenshots.resolve("deployment.png")).isNotEmptyFile();
        assertThat(screenshots.resolve("narrow.png")).isNotEmptyFile();
        String page = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertThat(page).doesNotContain("bitbucket-token-never-shown");
    }

    /** Runs the Playwright script; when it prints READY_FOR_LIVE_DEPLOYMENT, {@code liveDeployment} is produced. */
    private static List<String> runBrowser(Map<String, String> expected, Path screenshots, Runnable liveDeployment)
            throws IOException, InterruptedException {
        Path browserDir = Path.of(System.getProperty("trunkline.browser.dir", "src/test/browser"));
        Path chromium = Path.of(System.getProperty("trunkline.chromium", "/usr/bin/chromium"));
        assertThat(chromium).as("Debian's chromium (apt-get install chromium; .ci/run installs it)").isExecutable();
        assertThat(browserDir.resolve("node_modules/playwright-core"))
                .as("playwright-core (npm install --prefix %s; .ci/run installs it)", browserDir).isDirectory();
        ProcessBuilder builder = new ProcessBuilder("node", browserDir.resolve("dashboard.mjs").toString())
                .redirectErrorStream(true);
        builder.environment().put("BASE_URL", app.baseUrl());
        builder.environment().put("CHROMIUM", chromium.toString());
        builder.environment().put("SCREENSHOT_DIR", screenshots.toAbsolutePath().toString());
        builder.environment().put("EXPECTED", JSON.writeValueAsString(expected));
        Process node = builder.start();
        List<String> output = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                output.add(line);
                System.getLogger("dashboard.mjs").log(System.Logger.Level.INFO, line);
                if (line.equals("READY_FOR_LIVE_DEPLOYMENT")) {
                    liveDeployment.run();
                }
            }
        }
        assertThat(node.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(node.exitValue()).as("dashboard.mjs failed:\n%s", String.join("\n", output)).isZero();
        return output;
    }

    private static int get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .header("Authorization", "Bearer " + OPERATOR_TOKEN).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Instant at(LocalDate today, int days, String time) {
        return today.plusDays(days).atTime(LocalTime.parse(time)).toInstant(ZoneOffset.UTC);
    }
}
