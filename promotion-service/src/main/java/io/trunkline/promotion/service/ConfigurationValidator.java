package io.trunkline.promotion.service;

import io.trunkline.events.TargetSpec;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks a repository configuration and names every invalid field. Pure: no I/O. */
public final class ConfigurationValidator {

    static final Set<String> TEMPLATE_VARIABLES = Set.of("workspace", "slug", "repository", "branch", "tag", "commit",
            "shortCommit", "pr", "environment", "deploymentId");
    private static final Set<String> TRIGGERS = Set.of(EnvironmentConfiguration.TRIGGER_PULL_REQUEST,
            EnvironmentConfiguration.TRIGGER_TRUNK, EnvironmentConfiguration.TRIGGER_RELEASE_TAG);
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> PULUMI_OPERATIONS = Set.of("update", "preview", "refresh", "destroy");
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,29}");
    private static final Pattern CREDENTIAL_REFERENCE = Pattern.compile("(env:[A-Za-z_][A-Za-z0-9_]*|file:/.+|oidc:[A-Za-z0-9_.-]+)");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final String DURATION_FORMAT = "must be a duration such as 30m, 72h, 1h30m or 2d";
    private static final Pattern BRANCH_NAME = Pattern.compile("[^\\s~^:?*\\[\\\\]+");

    private ConfigurationValidator() {
    }

    public static List<ConfigurationError> validate(RepositoryConfiguration config) {
        List<ConfigurationError> errors = new ArrayList<>();
        if (config == null) {
            errors.add(new ConfigurationError("", "a configuration body is required"));
            return errors;
        }
        if (config.trunkBranch() != null && !BRANCH_NAME.matcher(config.trunkBranch()).matches()) {
            errors.add(new ConfigurationError("trunkBranch", "must be a branch name"));
        }
        if (config.releaseTagPattern() != null && config.releaseTagPattern().isBlank()) {
            errors.add(new ConfigurationError("releaseTagPattern", "must not be blank"));
        }
        if (config.webhookSecret() != null && config.webhookSecret().length() < 16) {
            errors.add(new ConfigurationError("webhookSecret", "must have at least 16 characters"));
        }
        List<EnvironmentConfiguration> environments = config.environments();
        if (environments == null || environments.isEmpty()) {
            errors.add(new ConfigurationError("environments", "at least one environment is required"));
            return errors;
        }
        Set<String> names = new HashSet<>();
        for (EnvironmentConfiguration environment : environments) {
            if (environment != null && environment.name() != null) {
                names.add(environment.name());
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < environments.size(); i++) {
            validateEnvironment(environments.get(i), "environments[" + i + "]", names, seen, errors);
        }
        return errors;
    }

    private static void validateEnvironment(EnvironmentConfiguration environment, String path, Set<String> names,
            Set<String> seen, List<ConfigurationError> errors) {
        if (environment == null) {
            errors.add(new ConfigurationError(path, "must be an object"));
            return;
        }
        if (environment.name() == null || !ENVIRONMENT_NAME.matcher(environment.name()).matches()) {
            errors.add(new ConfigurationError(path + ".name",
                    "must be 1-30 lower-case letters, digits or dashes, starting with a letter or digit"));
        } else if (!seen.add(environment.name())) {
            errors.add(new ConfigurationError(path + ".name", "'" + environment.name() + "' is used by another environment"));
        }
        if (environment.trigger() == null || !TRIGGERS.contains(environment.trigger())) {
            errors.add(new ConfigurationError(path + ".trigger", "must be one of pull-request, trunk, release-tag"));
        }
        if (environment.requires() != null) {
            if (!names.contains(environment.requires())) {
                errors.add(new ConfigurationError(path + ".requires", "names no environment of this repository"));
            } else if (environment.requires().equals(environment.name())) {
                errors.add(new ConfigurationError(path + ".requires", "an environment cannot require itself"));
            }
        }
        if (environment.target() == null) {
            errors.add(new ConfigurationError(path + ".target", "is required"));
        } else {
            validateTarget(environment.target(), path + ".target", errors);
        }
        if (environment.teardown() != null) {
            if (!EnvironmentConfiguration.TRIGGER_PULL_REQUEST.equals(environment.trigger())) {
                errors.add(new ConfigurationError(path + ".teardown", "applies only to pull-request environments"));
            }
            validateTarget(environment.teardown(), path + ".teardown", errors);
        }
        if (environment.url() != null) {
            validateUrl(environment.url(), path + ".url", errors);
        }
        if (environment.ttl() != null) {
            if (!environment.previews()) {
                errors.add(new ConfigurationError(path + ".ttl", "applies only to pull-request environments"));
            } else if (DurationSetting.parse(environment.ttl()).isEmpty()) {
                errors.add(new ConfigurationError(path + ".ttl", DURATION_FORMAT));
            }
        }
        if (environment.soak() != null) {
            if (environment.requires() == null) {
                errors.add(new ConfigurationError(path + ".soak", "applies only with requires: the soak is time in "
                        + "the required environment"));
            } else if (DurationSetting.parse(environment.soak()).isEmpty()) {
                errors.add(new ConfigurationError(path + ".soak", DURATION_FORMAT));
            }
        }
        if (environment.freeze() != null) {
            for (int i = 0; i < environment.freeze().size(); i++) {
                FreezeWindow window = environment.freeze().get(i);
                String windowPath = path + ".freeze[" + i + "]";
                if (window == null) {
                    errors.add(new ConfigurationError(windowPath, "must be an object"));
                    continue;
                }
                List<String> field = new ArrayList<>();
                FreezeCalendar.problem(window, field).ifPresent(problem ->
                        errors.add(new ConfigurationError(windowPath + "." + field.get(0), problem)));
            }
        }
        if (environment.concurrency() != null && !Set.of(EnvironmentConfiguration.CONCURRENCY_SUPERSEDE,
                EnvironmentConfiguration.CONCURRENCY_QUEUE).contains(environment.concurrency())) {
            errors.add(new ConfigurationError(path + ".concurrency", "must be supersede or queue"));
        }
    }

    private static void validateTarget(TargetSpec target, String path, List<ConfigurationError> errors) {
        if (target.type() == null) {
            errors.add(new ConfigurationError(path + ".type", "must be one of http, bitbucket-pipeline, pulumi"));
            return;
        }
        switch (target.type()) {
            case TargetSpec.HTTP -> {
                if (target.method() != null && !HTTP_METHODS.contains(target.method())) {
                    errors.add(new ConfigurationError(path + ".method", "must be one of GET, POST, PUT, PATCH, DELETE"));
                }
                if (target.url() == null) {
                    errors.add(new ConfigurationError(path + ".url", "is required for an http target"));
                } else {
                    validateUrl(target.url(), path + ".url", errors);
                }
                validateTemplates(target.headers(), path + ".headers", errors);
                validateTemplate(target.body(), path + ".body", errors);
            }
            case TargetSpec.BITBUCKET_PIPELINE -> {
                if (target.pipeline() == null || target.pipeline().isBlank()) {
                    errors.add(new ConfigurationError(path + ".pipeline", "is required for a bitbucket-pipeline target"));
                }
                validateTemplates(target.variables(), path + ".variables", errors);
            }
            case TargetSpec.PULUMI -> {
                for (Map.Entry<String, String> field : Map.of("organization", nullToEmpty(target.organization()),
                        "project", nullToEmpty(target.project()), "stack", nullToEmpty(target.stack())).entrySet()) {
                    if (field.getValue().isBlank()) {
                        errors.add(new ConfigurationError(path + "." + field.getKey(), "is required for a pulumi target"));
                    }
                }
                if (target.operation() != null && !PULUMI_OPERATIONS.contains(target.operation())) {
                    errors.add(new ConfigurationError(path + ".operation", "must be one of update, preview, refresh, destroy"));
                }
            }
            default -> errors.add(new ConfigurationError(path + ".type", "must be one of http, bitbucket-pipeline, pulumi"));
        }
        if (target.auth() != null) {
            if (!"bearer".equals(target.auth().type())) {
                errors.add(new ConfigurationError(path + ".auth.type", "must be bearer"));
            }
            if (target.auth().token() == null || !CREDENTIAL_REFERENCE.matcher(target.auth().token()).matches()) {
                errors.add(new ConfigurationError(path + ".auth.token",
                        "must be a reference (env:NAME, file:/path or oidc:NAME), never the secret itself"));
            }
        }
    }

    private static void validateUrl(String url, String path, List<ConfigurationError> errors) {
        validateTemplate(url, path, errors);
        try {
            URI uri = new URI(PLACEHOLDER.matcher(url).replaceAll("x"));
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                errors.add(new ConfigurationError(path, "must be an absolute http or https URL"));
            }
        } catch (URISyntaxException e) {
            errors.add(new ConfigurationError(path, "is not a valid URL: " + e.getReason()));
        }
    }

    private static void validateTemplates(Map<String, String> templates, String path, List<ConfigurationError> errors) {
        if (templates != null) {
            templates.forEach((name, value) -> validateTemplate(value, path + "." + name, errors));
        }
    }

    private static void validateTemplate(String template, String path, List<ConfigurationError> errors) {
        if (template == null) {
            return;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (!TEMPLATE_VARIABLES.contains(matcher.group(1))) {
                errors.add(new ConfigurationError(path, "unknown template variable {" + matcher.group(1) + "}"));
            }
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
