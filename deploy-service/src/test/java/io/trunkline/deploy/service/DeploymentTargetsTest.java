package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.trunkline.deploy.client.HostResolver;
import io.trunkline.deploy.client.HttpTargetClient;
import io.trunkline.deploy.client.HttpTargetRequest;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.events.CredentialRef;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What fails before any call is made; the calls themselves are covered by the @QuarkusTests in messaging. */
class DeploymentTargetsTest {

    private static final String TOKEN = "tok-9f8e7d6c5b4a";

    private final DeploymentTargets targets = new DeploymentTargets(
            new HttpTargetClient(new SmallRyeConfigBuilder().withMapping(DeployConfig.class)
                    .withConverter(Duration.class, 100, new DurationConverter())
                    .withSources(new PropertiesConfigSource(Map.of("trunkline.deploy.attempt-timeout", "1s",
                            "trunkline.deploy.retry-for", "1s"), "test", 500))
                    .build().getConfigMapping(DeployConfig.class), null, Optional.empty(), new HostResolver(), null),
            new CredentialResolver(new SmallRyeConfigBuilder()
                    .withSources(new PropertiesConfigSource(Map.of("DEPLOY_TOKEN", TOKEN), "test", 500)).build(), null,
                    "", "/run/secrets"), null, null); // prefixes: CredentialResolverTest

    private static DeploymentRequested request(TargetSpec target) {
        return new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "web-app"), "preview/pr-7",
                DeploymentOperation.DEPLOY, "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", "feature/x y", null, 7L, target, null);
    }

    /** Deploys with the lease held throughout, as a live worker does. */
    private Outcome deploy(TargetSpec target) {
        return targets.deploy(request(target), () -> true).toCompletableFuture().join();
    }

    private static TargetSpec http(String method, String url, Map<String, String> headers, String body, CredentialRef auth) {
        return new TargetSpec("http", method, url, headers, body, auth, null, Map.of(), null, null, null, null, null, null, null);
    }

    private static TargetSpec ofType(String type) {
        return new TargetSpec(type, null, null, Map.of(), null, null, "deploy-production", Map.of(), "acme", "web", "prod", "update", null, null, null);
    }

    @Test
    void unknownOrMissingTargetTypeFails() {
        assertThat(deploy(ofType("ftp")).reason()).startsWith("unknown target type ftp");
        assertThat(deploy(null).reason()).contains("no target type");
    }

    @Test
    void oidcCredentialOfAClientThatIsNotConfiguredFailsNamingIt() {
        Outcome outcome = deploy(TargetSpec.http("POST", "https://deploy.example.com/",
                new CredentialRef("bearer", "oidc:appsmith")));

        assertThat(outcome).isEqualTo(Outcome.failed("credential oidc:appsmith names no OIDC client configured on"
                + " deploy-service (quarkus.oidc-client.appsmith.*)", 0));
    }

    @Test
    void missingCredentialFailsNamingTheReference() {
        Outcome outcome = deploy(TargetSpec.http("POST", "https://deploy.example.com/",
                new CredentialRef("bearer", "env:NO_SUCH_DEPLOY_TOKEN")));

        assertThat(outcome.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(outcome.reason()).isEqualTo("credential env:NO_SUCH_DEPLOY_TOKEN is not set");
    }

    @Test
    void authOtherThanBearerFails() {
        Outcome outcome = deploy(TargetSpec.http("POST", "https://deploy.example.com/",
                new CredentialRef("basic", "env:DEPLOY_TOKEN")));

        assertThat(outcome.reason()).contains("auth type basic is not supported");
    }

    @Test
    void unknownPlaceholderFailsNamingIt() {
        Outcome outcome = deploy(http("POST", "https://deploy.example.com/{project}", Map.of(), null, null));

        assertThat(outcome.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(outcome.reason()).contains("{project}").contains("target url");
        assertThat(outcome.attempts()).isZero();
    }

    @Test
    void invalidUrlsFailWithoutRepeatingThem() {
        assertThat(deploy(http("POST", "ftp://deploy.example.com/x", Map.of(), null, null)).reason())
                .contains("http or https");
        assertThat(deploy(http("POST", "https://deploy.example.com/a b?token=abc", Map.of(), null, null))
                .reason()).contains("not a valid URL").doesNotContain("token=abc");
        assertThat(deploy(http("POST", " ", Map.of(), null, null)).reason()).contains("no url");
    }

    @Test
    void invalidHeaderOrMethodFailsWithoutACall() {
        assertThat(deploy(http("POST", "https://deploy.example.com/", Map.of("Host", "evil"), null, null))
                .reason()).contains("header Host cannot be sent");
        assertThat(deploy(http("GET POST", "https://deploy.example.com/", Map.of(), null, null))
                .reason()).contains("not a valid HTTP method");
    }

    @Test
    void httpRequestHasTheTemplatesExpandedAndTheTokenResolved() {
        TargetSpec target = http("PUT", "https://deploy.example.com/{slug}/{environment}?branch={branch}&c={shortCommit}",
                Map.of("X-Ref", "{branch}@{shortCommit}"), "{\"pr\":\"{pr}\",\"branch\":\"{branch}\"}",
                new CredentialRef("bearer", "env:DEPLOY_TOKEN"));

        HttpTargetRequest call = targets.httpRequest(request(target), target);

        assertThat(call.method()).isEqualTo("PUT");
        assertThat(call.uri().toString())
                .isEqualTo("https://deploy.example.com/web-app/preview%2Fpr-7?branch=feature%2Fx%20y&c=141977f");
        assertThat(call.headers()).containsEntry("X-Ref", "feature/x y@141977f");
        assertThat(call.body()).isEqualTo("{\"pr\":\"7\",\"branch\":\"feature/x y\"}");
        assertThat(call.credential().secret()).isEqualTo(TOKEN);
        assertThat(call.toString()).doesNotContain(TOKEN).doesNotContain("feature");
    }

    @Test
    void aTagCannotChangeTheJsonBodyItLandsIn() throws Exception {
        TargetSpec target = http("POST", "https://deploy.example.com/", Map.of(),
                "{\"tag\":\"{tag}\",\"env\":\"staging\",\"pr\":{pr},\"ref\":{tag}}", null);
        DeploymentRequested request = new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "web-app"), "staging",
                DeploymentOperation.DEPLOY, "141977fedf5cf35aa290ac87d4b5177ac4cd9de1", null,
                "release-1\",\"env\":\"prod", 7L, target, null);

        HttpTargetRequest call = targets.httpRequest(request, target);

        assertThat(call.body()).isEqualTo("{\"tag\":\"release-1\\\",\\\"env\\\":\\\"prod\",\"env\":\"staging\",\"pr\":7,"
                + "\"ref\":\"release-1\\\",\\\"env\\\":\\\"prod\"}");
        JsonNode sent = new ObjectMapper().readTree(call.body());
        assertThat(sent.get("env").asText()).isEqualTo("staging");
        assertThat(sent.get("tag").asText()).isEqualTo("release-1\",\"env\":\"prod");
        assertThat(call.idempotencyKey()).isEqualTo(request.deploymentId().toString());
    }

    @Test
    void aBodyThatIsNotJsonOnceExpandedFailsWithoutACall() {
        Outcome outcome = deploy(http("POST", "https://deploy.example.com/", Map.of(), "{\"ref\": {branch", null));

        assertThat(outcome.reason()).isEqualTo("target body is not valid JSON once its placeholders are filled in");
        assertThat(outcome.attempts()).isZero();
    }

    @Test
    void formBodiesArePercentEncodedAndOtherBodiesLeftAsTheyAre() {
        TargetSpec form = http("POST", "https://deploy.example.com/",
                Map.of("Content-Type", "application/x-www-form-urlencoded"), "ref={branch}&pr={pr}", null);
        TargetSpec text = http("POST", "https://deploy.example.com/", Map.of("Content-Type", "text/plain"),
                "deploy {branch}", null);

        assertThat(targets.httpRequest(request(form), form).body()).isEqualTo("ref=feature%2Fx%20y&pr=7");
        assertThat(targets.httpRequest(request(text), text).body()).isEqualTo("deploy feature/x y");
    }

    @Test
    void unknownPlaceholderInHeaderOrBodyIsNamedWithWhereItIs() {
        TargetSpec header = http("POST", "https://deploy.example.com/", Map.of("X-Stage", "{stage}"), null, null);
        TargetSpec body = http("POST", "https://deploy.example.com/", Map.of(), "{\"v\":\"{version}\"}", null);

        assertThatThrownBy(() -> targets.httpRequest(request(header), header))
                .hasMessageContaining("{stage}").hasMessageContaining("target header X-Stage");
        assertThatThrownBy(() -> targets.httpRequest(request(body), body))
                .hasMessageContaining("{version}").hasMessageContaining("target body");
    }
}
