package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.trunkline.events.CredentialRef;
import io.trunkline.events.TargetSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigurationValidatorTest {

    private static final TargetSpec HTTP = TargetSpec.http("POST", "https://deploy.example.com/{environment}?c={commit}", null);

    private static List<String> fields(RepositoryConfiguration config) {
        return ConfigurationValidator.validate(config).stream().map(ConfigurationError::field).toList();
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
                        new CredentialRef("bearer", "env:APPSMITH_TOKEN")), null, null, null, null, null, null, null, null),
                new EnvironmentConfiguration("production", "release-tag", new TargetSpec("bitbucket-pipeline", null, null,
                        null, null, null, "deploy-production", Map.of("RELEASE", "{tag}"), null, null, null, null, null, null, null),
                        null, null, "staging", false, null, null, null, null)));

        assertThat(ConfigurationValidator.validate(config)).isEmpty();
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
        assertThat(ConfigurationValidator.validate(valid)).isEmpty();

        RepositoryConfiguration invalid = new RepositoryConfiguration(null, null, null, null, List.of(
                new EnvironmentConfiguration("preview", "pull-request", HTTP, null, null, null, null, null, null, null, "soon"),
                new EnvironmentConfiguration("staging", "trunk", HTTP, null, null, null, null, "30m", null, "parallel", "1h"),
                new EnvironmentConfiguration("production", "release-tag", HTTP, null, null, "staging", null, "0m",
                        List.of(weekend, badZone), null, null)));
        assertThat(ConfigurationValidator.validate(invalid)).extracting(ConfigurationError::field, ConfigurationError::message)
                .containsExactlyInAnyOrder(
                        tuple("environments[0].ttl", "must be a duration such as 30m, 72h, 1h30m or 2d"),
                        tuple("environments[1].soak", "applies only with requires: the soak is time in the required environment"),
                        tuple("environments[1].concurrency", "must be supersede or queue"),
                        tuple("environments[1].ttl", "applies only to pull-request environments"),
                        tuple("environments[2].soak", "must be a duration such as 30m, 72h, 1h30m or 2d"),
                        tuple("environments[2].freeze[1].zone", "is not an IANA time zone (such as Europe/Berlin)"));
    }
}
