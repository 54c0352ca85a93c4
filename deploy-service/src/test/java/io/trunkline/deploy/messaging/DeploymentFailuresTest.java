package io.trunkline.deploy.messaging;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.exactly;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.CredentialRef;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.TargetSpec;
import io.trunkline.infra.test.InjectWireMock;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Targets that fail, answer slowly or may not be called: FAILED with a reason, retried only when it may help. */
@QuarkusTest
@TestProfile(DeployTestProfile.class)
@DeployTestResources
class DeploymentFailuresTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @InjectWireMock("target")
    WireMockServer target;

    @Inject
    DeploymentRuns runs;

    private final DeployTopics topics = new DeployTopics();

    @AfterEach
    void closeTopics() {
        topics.close();
    }

    private DeploymentStateChanged awaitFinalState(DeploymentRequested request) {
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.FAILED));
        return topics.statuses(request.deploymentId()).get(1);
    }

    private DeploymentRequested requestTo(String url) {
        return DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", url, Map.of(), "{}"));
    }

    @Test
    void serverErrorIsRetriedForTheWholeRetryBudgetThenFails() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(500)));
        DeploymentRequested request = requestTo("http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}");

        topics.send(request);

        DeploymentStateChanged failed = awaitFinalState(request);
        DeploymentRun run = QuarkusTransaction.requiringNew().call(() -> runs.find(request.deploymentId()).orElseThrow());
        // with waits of at most 200 ms, a 6 s budget is many more calls than any fixed count of old
        assertThat(run.attempts()).isGreaterThan(10);
        assertThat(failed.reason()).isEqualTo("target answered 500 after " + run.attempts() + " attempts");
        target.verify(exactly(run.attempts()), postRequestedFor(urlEqualTo(prefix + "/" + request.deploymentId())));
        assertThat(run.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(run.reason()).isEqualTo(failed.reason());
        assertThat(Duration.between(run.startedAt(), run.finishedAt()))
                .isGreaterThanOrEqualTo(DeployTestProfile.RETRY_FOR.minusMillis(200 + 50));
    }

    @Test
    void targetAnsweringServerErrorsForAWhileThenRecoveringSucceeds() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).atPriority(5).willReturn(aResponse().withStatus(500)));
        DeploymentRequested request = requestTo("http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}");

        topics.send(request);
        await().atMost(PATIENCE).untilAsserted(() ->
                assertThat(target.findAll(postRequestedFor(urlPathMatching(prefix + "/.*")))).hasSizeGreaterThanOrEqualTo(3));
        target.stubFor(post(urlPathMatching(prefix + "/.*")).atPriority(1).willReturn(aResponse().withStatus(200)));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        DeploymentRun run = QuarkusTransaction.requiringNew().call(() -> runs.find(request.deploymentId()).orElseThrow());
        assertThat(run.attempts()).isGreaterThanOrEqualTo(4);
        assertThat(run.reason()).isEqualTo("target answered 200 after " + run.attempts() + " attempts");
        target.verify(exactly(run.attempts()), postRequestedFor(urlEqualTo(prefix + "/" + request.deploymentId())));
    }

    @Test
    void noAttemptStartsAfterTheRequestsNotAfter() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(503)));
        Instant notAfter = Instant.now().plusSeconds(3);
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", "http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}", Map.of(), "{}"),
                notAfter);

        topics.send(request);

        DeploymentStateChanged failed = awaitFinalState(request);
        DeploymentRun run = QuarkusTransaction.requiringNew().call(() -> runs.find(request.deploymentId()).orElseThrow());
        assertThat(failed.reason()).isEqualTo("target answered 503 after " + run.attempts() + " attempts; no attempt after "
                + notAfter + ", when promotion-service gives up");
        // well within the 6 s retry budget
        assertThat(run.finishedAt()).isBefore(notAfter.plusSeconds(1));
        target.verify(exactly(run.attempts()), postRequestedFor(urlEqualTo(prefix + "/" + request.deploymentId())));
    }

    @Test
    void clientErrorIsNotRetried() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(404)));
        DeploymentRequested request = requestTo("http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}");

        topics.send(request);

        assertThat(awaitFinalState(request).reason()).isEqualTo("target answered 404");
        target.verify(exactly(1), anyRequestedFor(urlPathMatching(prefix + "/.*")));
    }

    @Test
    void tooManyRequestsIsRetriedAndASuccessEndsTheRetries() {
        String prefix = "/t-" + UUID.randomUUID();
        String scenario = "busy-" + prefix;
        target.stubFor(post(urlPathMatching(prefix + "/.*")).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("ready"));
        target.stubFor(post(urlPathMatching(prefix + "/.*")).inScenario(scenario)
                .whenScenarioStateIs("ready").willReturn(aResponse().withStatus(201)));
        DeploymentRequested request = requestTo("http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}");

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        target.verify(exactly(2), anyRequestedFor(urlPathMatching(prefix + "/.*")));
    }

    @Test
    void targetHangingPastItsTimeoutIsAnUnknownOutcomeAndNotCalledAgain() {
        String prefix = "/t-" + UUID.randomUUID();
        target.stubFor(post(urlPathMatching(prefix + "/.*")).willReturn(aResponse().withStatus(200)
                .withFixedDelay((int) DeployTestProfile.ATTEMPT_TIMEOUT.toMillis() + 2_000)));
        DeploymentRequested request = requestTo("http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}");

        topics.send(request);

        assertThat(awaitFinalState(request).reason()).isEqualTo("outcome unknown: the target did not answer within 4s");
        // FAILED is recorded after the decision not to call again: no call can come after it
        target.verify(exactly(1), anyRequestedFor(urlPathMatching(prefix + "/.*")));
        DeploymentRun run = QuarkusTransaction.requiringNew().call(() -> runs.find(request.deploymentId()).orElseThrow());
        assertThat(run.attempts()).isEqualTo(1);
    }

    @Test
    void idempotentTargetThatTimedOutIsCalledAgain() {
        String prefix = "/t-" + UUID.randomUUID();
        String scenario = "hangs-once-" + prefix;
        target.stubFor(post(urlPathMatching(prefix + "/.*")).inScenario(scenario)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withFixedDelay((int) DeployTestProfile.ATTEMPT_TIMEOUT.toMillis() + 2_000))
                .willSetStateTo("answering"));
        target.stubFor(post(urlPathMatching(prefix + "/.*")).inScenario(scenario)
                .whenScenarioStateIs("answering").willReturn(aResponse().withStatus(204)));
        DeploymentRequested request = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                DeployTopics.http("POST", "http://127.0.0.1:" + target.port() + prefix + "/{deploymentId}", Map.of(), "{}",
                        true));

        topics.send(request);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(topics.statuses(request.deploymentId()))
                .extracting(DeploymentStateChanged::state)
                .containsExactly(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED));
        assertThat(topics.statuses(request.deploymentId()).get(1).reason()).isEqualTo("target answered 204 after 2 attempts");
        target.verify(exactly(2), anyRequestedFor(urlPathMatching(prefix + "/.*")));
    }

    @Test
    void privateAddressNotAllowedIsNeverCalled() {
        String prefix = "/t-" + UUID.randomUUID();
        DeploymentRequested request = requestTo("http://10.255.255.1:" + target.port() + prefix + "/{deploymentId}");

        topics.send(request);

        DeploymentStateChanged failed = awaitFinalState(request);
        assertThat(failed.reason()).isEqualTo("target host 10.255.255.1 resolves to a private address;"
                + " list the host or its address in TRUNKLINE_TARGET_ALLOWED_HOSTS to deploy to it");
        target.verify(exactly(0), anyRequestedFor(urlPathMatching(prefix + "/.*")));
        DeploymentRun run = QuarkusTransaction.requiringNew().call(() -> runs.find(request.deploymentId()).orElseThrow());
        assertThat(run.attempts()).isZero();
    }

    @Test
    void targetsThatCannotBeCalledFailWithTheirReason() {
        DeploymentRequested oidc = DeployTopics.request(DeployTopics.freshRepository(), "staging", "main",
                new TargetSpec(TargetSpec.HTTP, "POST", "http://127.0.0.1:" + target.port() + "/never", Map.of(), null,
                        new CredentialRef("bearer", "oidc:appsmith"), null, Map.of(), null, null, null, null, null, null, null));
        DeploymentRequested unknownPlaceholder = requestTo("http://127.0.0.1:" + target.port() + "/never/{stage}");

        for (DeploymentRequested request : List.of(oidc, unknownPlaceholder)) {
            topics.send(request);
        }

        assertThat(awaitFinalState(oidc).reason()).isEqualTo("credential oidc:appsmith names no OIDC client configured"
                + " on deploy-service (quarkus.oidc-client.appsmith.*)");
        assertThat(awaitFinalState(unknownPlaceholder).reason()).startsWith("unknown placeholder {stage} in target url");
    }

    @Test
    void credentialReferencesOutsideTheirConfinesFailTheDeploymentNamingTheReferenceNeverTheValue() throws Exception {
        // the profile allows env:DEPLOY_* and files in DeployTestProfile.SECRETS_DIR
        Path outside = Files.createTempFile("trunkline-outside-", ".token");
        Files.writeString(outside, "outside-secret-value");
        Path link = DeployTestProfile.SECRETS_DIR.resolve("link-out-" + UUID.randomUUID());
        Files.createSymbolicLink(link, outside);
        try {
            Map<String, String> reasons = Map.of(
                    "env:TRUNKLINE_DB_PASSWORD", "only name variables starting with DEPLOY_",
                    "env:PATH", "only name variables starting with DEPLOY_",
                    "file:/etc/passwd", "is not a file in the secrets directory",
                    "file:../../x", "does not name a file by its absolute path",
                    "file:" + link, "is not a file in the secrets directory");
            Map<String, DeploymentRequested> requests = new HashMap<>();
            reasons.keySet().forEach(reference -> requests.put(reference, DeployTopics.request(
                    DeployTopics.freshRepository(), "staging", "main", new TargetSpec(TargetSpec.HTTP, "POST",
                            "http://127.0.0.1:" + target.port() + "/never", Map.of(), null,
                            new CredentialRef("bearer", reference), null, Map.of(), null, null, null, null, null, null,
                            null))));
            requests.values().forEach(topics::send);

            reasons.forEach((reference, reason) -> assertThat(awaitFinalState(requests.get(reference)).reason())
                    .as(reference).startsWith("credential " + reference + " ").contains(reason)
                    .doesNotContain("outside-secret-value").doesNotContain("root:"));
            target.verify(exactly(0), anyRequestedFor(urlPathMatching("/never")));
        } finally {
            Files.deleteIfExists(link);
            Files.deleteIfExists(outside);
        }
    }
}
