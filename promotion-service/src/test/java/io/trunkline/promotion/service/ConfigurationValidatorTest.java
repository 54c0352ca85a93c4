package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.trunkline.events.CredentialRef;
import io.trunkline.events.TargetSpec;
import io.trunkline.events.VerifyCheck;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationValidatorTest {

    private static final ConfigurationValidator VALIDATOR = new ConfigurationValidator("TRUNKLINE_TARGET_",
            new CredentialFiles("/run/secrets"));
    private static final TargetSpec HTTP = TargetSpec.http("POST", "https://deploy.example.com/{environment}?c={commit}", null);

    private static List<String> fields(RepositoryConfiguration config) {
        return VALIDATOR.validate(config).stream().map(ConfigurationError::field).toList();
    }

    @Test
    void theProductExampleIsValid() {
        RepositoryConfiguration config = new RepositoryConfiguration("main", "release-*", "a-long-enough-secret", null, List.of(
                new EnvironmentConfiguration("preview", "pull-request",
                        TargetSpec.http("POST", "https://deploy.example.com/previews/{pr}?commit={commit}", null),
                        TargetSpec.http("DELETE", "https://deploy.example.com/previews/{pr}", null),
                        "https://pr-{pr}.preview.example.com", null, null, null, null, null, null),
                new EnvironmentConfiguration("staging", "trunk", TargetSpec.http("POST",
                        "https://app.appsmith.com/api/v1/git/deploy/app/660f7b?branchName={branch}",
                        new CredentialRef("bearer", "env:TRUNKLINE_TARGET_APPSMITH_TOKEN")), null, null, null, null, null, null, null, null),
                new EnvironmentConfiguration("production", "release-tag", new TargetSpec("bitbucket-pipeline", null, null,
                        null, null, null, "deploy-production", Map.of("RELEASE", "{tag}"), null, null, null, null, null, null, null),
                        null, null, "staging", false, null, null, null, null)));

        assertThat(VALIDATOR.validate(config)).isEmpty();
    }

    @Test
    void namesEachInvalidField() {
        RepositoryConfiguration config = new RepositoryConfiguration("main", null, "short", null, List.of(
                new EnvironmentConfiguration("Staging!", "nightly", HTTP, null, null, null, null, null, null, null, null),
                new EnvironmentConfiguration("prod", "release-tag",
                        TargetSpec.http("POST", "ftp://x/{sha}", new CredentialRef("bearer", "s3cr3t-value")),
                        HTTP, null, "qa", null, null, null, null, null)));

        assertThat(fields(config)).containsExactlyInAnyOrder(
                "webhookSecret",
                "environments[0].name",
                "environments[0].trigger",
                "environments[1].requires",
                "environments[1].target.url",
                "environments[1].target.url",
                "environments[1].target.auth.token",
                "environments[1].teardown");
    }

    @Test
    void missingEnvironmentsAndDuplicateNames() {
        assertThat(fields(new RepositoryConfiguration(null, null, null, null, List.of()))).containsExactly("environments");
        assertThat(fields(new RepositoryConfiguration(null, null, null, null, List.of(
                new EnvironmentConfiguration("staging", "trunk", HTTP, null, null, null, null, null, null, null, null),
                new EnvironmentConfiguration("staging", "trunk", HTTP, null, null, null, null, null, null, null, null)))))
                .containsExactly("environments[1].name");
    }

    @Test
    void targetTypesNeedTheirFields() {
        TargetSpec pipeline = new TargetSpec("bitbucket-pipeline", null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        TargetSpec pulumi = new TargetSpec("pulumi", null, null, null, null, null, null, null, "acme", null, null, "launch", null, null, null);
        TargetSpec unknown = new TargetSpec("ssh", null, null, null, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(fields(new RepositoryConfiguration(null, null, null, null, List.of(
                new EnvironmentConfiguration("a", "trunk", pipeline, null, null, null, null, null, null, null, null),
                new EnvironmentConfiguration("b", "trunk", pulumi, null, null, null, null, null, null, null, null),
                new EnvironmentConfiguration("c", "trunk", unknown, null, null, null, null, null, null, null, null),
                new EnvironmentConfiguration("d", "trunk", null, null, null, null, null, null, null, null, null)))))
                .containsExactlyInAnyOrder("environments[0].target.pipeline", "environments[1].target.project",
                        "environments[1].target.stack", "environments[1].target.operation",
                        "environments[2].target.type", "environments[3].target");
    }

    @Test
    void gatesAndPreviewSettingsAreChecked() {
        FreezeWindow weekend = new FreezeWindow("weekend", "0 18 * * FRI", "62h", null, null, "Europe/Berlin");
        FreezeWindow badZone = new FreezeWindow(null, "0 18 * * FRI", "62h", null, null, "Berlin");
        RepositoryConfiguration valid = new RepositoryConfiguration(null, null, null, null, List.of(
                new EnvironmentConfiguration("preview", "pull-request", HTTP, null, null, null, null, null, null, null, "72h"),
                new EnvironmentConfiguration("staging", "trunk", HTTP, null, null, null, null, null, null, "queue", null),
                new EnvironmentConfiguration("production", "release-tag", HTTP, null, null, "staging", true, "30m",
                        List.of(weekend), "supersede", null)));
        assertThat(VALIDATOR.validate(valid)).isEmpty();

        RepositoryConfiguration invalid = new RepositoryConfiguration(null, null, null, null, List.of(
                new EnvironmentConfiguration("preview", "pull-request", HTTP, null, null, null, null, null, null, null, "soon"),
                new EnvironmentConfiguration("staging", "trunk", HTTP, null, null, null, null, "30m", null, "parallel", "1h"),
                new EnvironmentConfiguration("production", "release-tag", HTTP, null, null, "staging", null, "0m",
                        List.of(weekend, badZone), null, null)));
        assertThat(VALIDATOR.validate(invalid)).extracting(ConfigurationError::field, ConfigurationError::message)
                .containsExactlyInAnyOrder(
                        tuple("environments[0].ttl", "must be a duration such as 30m, 72h, 1h30m or 2d"),
                        tuple("environments[1].soak", "applies only with requires: the soak is time in the required environment"),
                        tuple("environments[1].concurrency", "must be supersede or queue"),
                        tuple("environments[1].ttl", "applies only to pull-request environments"),
                        tuple("environments[2].soak", "must be a duration such as 30m, 72h, 1h30m or 2d"),
                        tuple("environments[2].freeze[1].zone", "is not an IANA time zone (such as Europe/Berlin)"));
    }

    private static EnvironmentConfiguration trunk(String name, TargetSpec target) {
        return new EnvironmentConfiguration(name, "trunk", target, null, null, null, null, null, null, null, null);
    }

    private static EnvironmentConfiguration requiring(String name, String requires) {
        return new EnvironmentConfiguration(name, "release-tag", HTTP, null, null, requires, null, null, null, null, null);
    }

    private static TargetSpec http(String url, Map<String, String> headers, CredentialRef auth) {
        return new TargetSpec("http", "POST", url, headers, null, auth, null, Map.of(), null, null, null, null, null,
                null, null);
    }

    private static List<ConfigurationError> errors(EnvironmentConfiguration... environments) {
        return VALIDATOR.validate(new RepositoryConfiguration(null, null, null, null, List.of(environments)));
    }

    @Test
    void requiresMayFormNoCycleNorNameAPreviewEnvironment() {
        assertThat(errors(requiring("a", "b"), requiring("b", "c"), requiring("c", "a")))
                .extracting(ConfigurationError::field, ConfigurationError::message)
                .containsExactly(
                        tuple("environments[0].requires", "forms a cycle: a → b → c → a"),
                        tuple("environments[1].requires", "forms a cycle: b → c → a → b"),
                        tuple("environments[2].requires", "forms a cycle: c → a → b → c"));
        assertThat(errors(requiring("a", "b"), requiring("b", "c"), requiring("c", "b"), requiring("d", "a")))
                .extracting(ConfigurationError::field).containsExactly("environments[1].requires", "environments[2].requires");
        assertThat(errors(new EnvironmentConfiguration("preview", "pull-request", HTTP, null, null, null, null, null,
                null, null, null), requiring("production", "preview")))
                .extracting(ConfigurationError::field).containsExactly("environments[1].requires");
    }

    @Test
    void credentialsAreReferencesNeverLiteralsWhereverTheyAre() {
        assertThat(errors(
                trunk("a", http("https://deploy.example.com", Map.of("Authorization", "Bearer s3cr3t"), null)),
                trunk("b", http("https://deploy.example.com", Map.of("X-Api-Key", "s3cr3t"), null)),
                trunk("c", http("https://deploy.example.com", Map.of("X-Custom", "token s3cr3t"), null)),
                trunk("d", http("https://deployer:s3cr3t@deploy.example.com/{commit}", Map.of(), null)),
                trunk("e", http("https://deploy.example.com/?access_token=s3cr3t&c={commit}", Map.of(), null)),
                trunk("f", http("https://deploy.example.com", Map.of(), new CredentialRef("bearer", "s3cr3t"))),
                trunk("g", http("https://deploy.example.com", Map.of(), new CredentialRef("bearer", "env:TRUNKLINE_DB_PASSWORD"))),
                trunk("h", http("https://deploy.example.com", Map.of(), new CredentialRef("bearer", "file:/run/secrets/../etc/shadow"))),
                trunk("i", http("https://deploy.example.com", Map.of("Bad Name", "x"), null))))
                .allSatisfy(error -> assertThat(error.message()).doesNotContain("s3cr3t"))
                .extracting(ConfigurationError::field)
                .containsExactly("environments[0].target.headers.Authorization", "environments[1].target.headers.X-Api-Key",
                        "environments[2].target.headers.X-Custom", "environments[3].target.url",
                        "environments[4].target.url", "environments[5].target.auth.token",
                        "environments[6].target.auth.token", "environments[7].target.auth.token",
                        "environments[8].target.headers.Bad Name");
        assertThat(errors(
                trunk("a", http("https://deploy.example.com/?ref={branch}", Map.of("Idempotency-Key", "{deploymentId}",
                        "Content-Type", "application/json"), new CredentialRef("bearer", "env:TRUNKLINE_TARGET_X"))),
                trunk("b", http("https://deploy.example.com", Map.of(), new CredentialRef("bearer", "file:/run/secrets/deploy"))),
                trunk("c", http("https://deploy.example.com", Map.of(), new CredentialRef("bearer", "oidc:deployer")))))
                .isEmpty();
    }

    @Test
    void placeholdersAreTheSharedListInTheSharedSyntax() {
        TargetSpec withBody = new TargetSpec("http", "POST", "https://deploy.example.com/{sha}", Map.of("X-Ref", "{ref}"),
                "{\"ref\": \"{branch}\", \"literal\": { \"a\": 1 }, \"bad\": \"{commitId}\"}", null, null, Map.of(),
                null, null, null, null, null, null, null);
        assertThat(errors(trunk("a", withBody))).extracting(ConfigurationError::field, ConfigurationError::message)
                .containsExactly(
                        tuple("environments[0].target.url", "unknown placeholder {sha}; known: {workspace}, {slug}, "
                                + "{repository}, {branch}, {tag}, {commit}, {shortCommit}, {pr}, {environment}, {deploymentId}"),
                        tuple("environments[0].target.headers.X-Ref", "unknown placeholder {ref}; known: {workspace}, "
                                + "{slug}, {repository}, {branch}, {tag}, {commit}, {shortCommit}, {pr}, {environment}, {deploymentId}"),
                        tuple("environments[0].target.body", "unknown placeholder {commitId}; known: {workspace}, {slug}, "
                                + "{repository}, {branch}, {tag}, {commit}, {shortCommit}, {pr}, {environment}, {deploymentId}"));
    }

    @Test
    void tagPatternsAreGlobsGitCouldMatch() {
        for (String valid : new String[] {"release-*", "v?.*", "releases/*"}) {
            assertThat(VALIDATOR.validate(new RepositoryConfiguration(null, valid, null, null, List.of(trunk("a", HTTP)))))
                    .as(valid).isEmpty();
        }
        for (String invalid : new String[] {"", " ", "release *", "release-[0-9]*", "v..*", "~v*", "v^1", "a:b", "/v*",
                "v*.lock", "v@{1}"}) {
            assertThat(VALIDATOR.validate(new RepositoryConfiguration(null, invalid, null, null, List.of(trunk("a", HTTP)))))
                    .as(invalid).extracting(ConfigurationError::field).containsExactly("releaseTagPattern");
        }
    }

    @Test
    void fieldsOfAnotherTargetTypeAreRefusedAndSuccessAndFollowChecked() {
        TargetSpec pipeline = new TargetSpec("bitbucket-pipeline", "POST", "https://x.example.com", null, null, null,
                "deploy", null, null, null, null, null, null, new TargetSpec.SuccessCondition("/ok", null),
                new TargetSpec.FollowUp("soon", "60m"));
        TargetSpec http = new TargetSpec("http", "POST", "https://x.example.com", null, null, null, "deploy", null, null,
                null, null, null, null, new TargetSpec.SuccessCondition("ok", null), new TargetSpec.FollowUp("5s", null));
        assertThat(errors(trunk("a", pipeline), trunk("b", http))).extracting(ConfigurationError::field)
                .containsExactlyInAnyOrder("environments[0].target.method", "environments[0].target.url",
                        "environments[0].target.success", "environments[0].target.follow.interval",
                        "environments[1].target.success.pointer", "environments[1].target.pipeline",
                        "environments[1].target.follow");
    }

    private static EnvironmentConfiguration verified(String url, String onFailure, VerifyCheck... checks) {
        return new EnvironmentConfiguration("staging", "trunk", HTTP, null, url, null, null, null, null, null, null,
                List.of(checks), onFailure);
    }

    private static List<String> verifyErrors(EnvironmentConfiguration environment) {
        return VALIDATOR.validate(new RepositoryConfiguration(null, null, null, null, List.of(environment))).stream()
                .map(error -> error.field() + ": " + error.message()).toList();
    }

    @Test
    void verifyChecksOfTheIssueAreValid() {
        VerifyCheck http = VerifyCheck.http("{url}/health", new VerifyCheck.Expect(200, "ok", "/status",
                TextNode.valueOf("UP")), 10, "5s", "2s");
        VerifyCheck postmanFile = VerifyCheck.postman("file:/run/secrets/api.postman_collection.json",
                Map.of("baseUrl", "{url}", "commit", "{commit}", "apiKey", "env:TRUNKLINE_TARGET_API_KEY",
                        "password", "file:/run/secrets/api-password"), "5m");
        VerifyCheck postmanUrl = new VerifyCheck("contract", "postman", null, null, null, null, null,
                "https://api.getpostman.com/collections/123", null);

        assertThat(verifyErrors(verified("https://staging.example.com", "rollback", http, postmanFile, postmanUrl)))
                .isEmpty();
        assertThat(verifyErrors(verified(null, null, VerifyCheck.http("https://staging.example.com/health", null, null,
                null, null)))).isEmpty();
    }

    @Test
    void verifyChecksAreCheckedFieldByField() {
        assertThat(verifyErrors(verified(null, "retry",
                VerifyCheck.http("{url}/health", new VerifyCheck.Expect(700, "", "status", null), -1, "soon", "0s"),
                VerifyCheck.http("https://x.example.com/{nope}", new VerifyCheck.Expect(null, null, null,
                        TextNode.valueOf("UP")), 1001, null, null),
                new VerifyCheck(null, "http", null, null, null, null, null, "file:/c.json", Map.of("a", "b")),
                new VerifyCheck(null, "postman", "https://x.example.com", null, 3, "5s", null, null,
                        Map.of("token", "abc", "auth", "Bearer abc", "key", "env:OTHER_KEY", "x", "oidc:client")),
                VerifyCheck.postman("file:/run/../etc/passwd", null, null),
                VerifyCheck.postman("ftp://x.example.com/c.json", null, null),
                new VerifyCheck(null, "grpc", null, null, null, null, null, null, null),
                new VerifyCheck("same", "http", "https://a.example.com", null, null, null, null, null, null),
                new VerifyCheck("same", "http", "https://b.example.com", null, null, null, null, null, null))))
                .extracting(error -> error.substring(0, error.indexOf(':')))
                .containsExactlyInAnyOrder(
                        "environments[0].onFailure",
                        "environments[0].verify[0].url",
                        "environments[0].verify[0].expect.status",
                        "environments[0].verify[0].expect.jsonPointer",
                        "environments[0].verify[0].expect.bodyContains",
                        "environments[0].verify[0].retries",
                        "environments[0].verify[0].interval",
                        "environments[0].verify[0].timeout",
                        "environments[0].verify[1].url",
                        "environments[0].verify[1].expect.equals",
                        "environments[0].verify[1].retries",
                        "environments[0].verify[2].url",
                        "environments[0].verify[2].collection",
                        "environments[0].verify[2].environment",
                        "environments[0].verify[3].collection",
                        "environments[0].verify[3].url",
                        "environments[0].verify[3].retries",
                        "environments[0].verify[3].interval",
                        "environments[0].verify[3].environment.token",
                        "environments[0].verify[3].environment.auth",
                        "environments[0].verify[3].environment.key",
                        "environments[0].verify[3].environment.x",
                        "environments[0].verify[4].collection",
                        "environments[0].verify[5].collection",
                        "environments[0].verify[6].type",
                        "environments[0].verify[8].name");
    }

    @Test
    void rollbackOnFailureNeedsChecksAndAnEnvironmentWithAHistory() {
        assertThat(verifyErrors(new EnvironmentConfiguration("staging", "trunk", HTTP, null, null, null, null, null,
                null, null, null, null, "rollback")))
                .containsExactly("environments[0].onFailure: applies only with verify: a rollback follows failed checks");
        assertThat(verifyErrors(new EnvironmentConfiguration("preview", "pull-request", HTTP, null,
                "https://pr-{pr}.example.com", null, null, null, null, null, null,
                List.of(VerifyCheck.http("{url}/health", null, null, null, null)), "rollback")))
                .extracting(error -> error.substring(0, error.indexOf(':'))).containsExactly("environments[0].onFailure");
        // a check's message never repeats a secret pasted where a reference belongs
        assertThat(verifyErrors(verified(null, null, VerifyCheck.postman("file:/c.json", Map.of("token", "s3cr3t"),
                null)))).noneMatch(error -> error.contains("s3cr3t"));
    }
}
