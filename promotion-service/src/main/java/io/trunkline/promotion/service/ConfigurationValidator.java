package io.trunkline.promotion.service;

import io.quarkus.runtime.configuration.DurationConverter;
import io.trunkline.events.TargetSpec;
import io.trunkline.events.TemplatePlaceholders;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a repository configuration and names every invalid field, as clients write it
 * ({@code environments[1].target.headers.Authorization}). Nothing is accepted that is not honoured, and no
 * secret is accepted where a reference belongs: credentials are {@code env:NAME} (with the configured
 * prefix, so a configuration cannot read the services' own secrets), {@code file:/path} or
 * {@code oidc:NAME}, in {@code auth}; never a literal in {@code auth}, in a header, in a URL's user-info or
 * in a query parameter named like a credential. Messages never repeat a submitted value. Pure: no I/O.
 */
public final class ConfigurationValidator {

    private static final Set<String> TRIGGERS = Set.of(EnvironmentConfiguration.TRIGGER_PULL_REQUEST,
            EnvironmentConfiguration.TRIGGER_TRUNK, EnvironmentConfiguration.TRIGGER_RELEASE_TAG);
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> PULUMI_OPERATIONS = Set.of("update", "preview", "refresh", "destroy");
    private static final Set<String> CONCURRENCY = Set.of(EnvironmentConfiguration.CONCURRENCY_SUPERSEDE,
            EnvironmentConfiguration.CONCURRENCY_QUEUE);
    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,29}");
    private static final Pattern ENV_REFERENCE = Pattern.compile("env:([A-Za-z_][A-Za-z0-9_]*)");
    private static final Pattern FILE_REFERENCE = Pattern.compile("file:(/[^\\x00-\\x1f]+)");
    private static final Pattern OIDC_REFERENCE = Pattern.compile("oidc:[A-Za-z0-9_.-]+");
    private static final Pattern BRANCH_NAME = Pattern.compile("[^\\s~^:?*\\[\\\\]+");
    /** What git refuses in a ref name, less the glob's own {@code *} and {@code ?}. */
    private static final Pattern TAG_GLOB = Pattern.compile("[^\\s~^:\\[\\\\\\x00-\\x1f\\x7f]+");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
    /** Header and query parameter names that carry credentials. */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile(
            "(?i).*(authorization|auth|token|secret|password|passwd|api[-_]?key|access[-_]?key|private[-_]?key|"
                    + "credential|signature|cookie|session).*");
    /** Header values that are credentials whatever the header is called. */
    private static final Pattern CREDENTIAL_VALUE = Pattern.compile("(?i)\\s*(bearer|basic|token|digest)\\s+\\S+.*");
    private static final String DURATION_FORMAT = "must be a duration such as 30m, 72h, 1h30m or 2d";
    private static final String REFERENCE = "must be a reference (env:NAME, file:/path or oidc:NAME), never the secret itself";

    private final String envPrefix;

    /** @param envPrefix the prefix every {@code env:} reference must have, e.g. {@code TRUNKLINE_TARGET_} */
    public ConfigurationValidator(String envPrefix) {
        this.envPrefix = envPrefix;
    }

    public List<ConfigurationError> validate(RepositoryConfiguration config) {
        List<ConfigurationError> errors = new ArrayList<>();
        if (config == null) {
            errors.add(new ConfigurationError("", "a configuration body is required"));
            return errors;
        }
        if (config.trunkBranch() != null && !BRANCH_NAME.matcher(config.trunkBranch()).matches()) {
            errors.add(new ConfigurationError("trunkBranch", "must be a branch name"));
        }
        if (config.releaseTagPattern() != null && !validTagGlob(config.releaseTagPattern())) {
            errors.add(new ConfigurationError("releaseTagPattern", "must be a tag name pattern: * any characters, "
                    + "? one, no spaces or ~ ^ : [ \\ and no .."));
        }
        if (config.webhookSecret() != null && config.webhookSecret().length() < 16) {
            errors.add(new ConfigurationError("webhookSecret", "must have at least 16 characters"));
        }
        List<EnvironmentConfiguration> environments = config.environments();
        if (environments == null || environments.isEmpty()) {
            errors.add(new ConfigurationError("environments", "at least one environment is required"));
            return errors;
        }
        Map<String, EnvironmentConfiguration> byName = new HashMap<>();
        for (EnvironmentConfiguration environment : environments) {
            if (environment != null && environment.name() != null) {
                byName.putIfAbsent(environment.name(), environment);
            }
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < environments.size(); i++) {
            validateEnvironment(environments.get(i), "environments[" + i + "]", byName, seen, errors);
        }
        return errors;
    }

    private void validateEnvironment(EnvironmentConfiguration environment, String path,
            Map<String, EnvironmentConfiguration> byName, Set<String> seen, List<ConfigurationError> errors) {
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
        validateRequires(environment, path, byName, errors);
        if (environment.target() == null) {
            errors.add(new ConfigurationError(path + ".target", "is required"));
        } else {
            validateTarget(environment.target(), path + ".target", errors);
        }
        if (environment.teardown() != null) {
            if (!environment.previews()) {
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
        if (environment.concurrency() != null && !CONCURRENCY.contains(environment.concurrency())) {
            errors.add(new ConfigurationError(path + ".concurrency", "must be supersede or queue"));
        }
    }

    /** {@code requires} names another environment whose deployments are of commits (not previews), and forms no cycle. */
    private static void validateRequires(EnvironmentConfiguration environment, String path,
            Map<String, EnvironmentConfiguration> byName, List<ConfigurationError> errors) {
        String requires = environment.requires();
        if (requires == null) {
            return;
        }
        EnvironmentConfiguration required = byName.get(requires);
        if (required == null) {
            errors.add(new ConfigurationError(path + ".requires", "names no environment of this repository"));
        } else if (requires.equals(environment.name())) {
            errors.add(new ConfigurationError(path + ".requires", "an environment cannot require itself"));
        } else if (required.previews()) {
            errors.add(new ConfigurationError(path + ".requires", "names a pull-request environment, whose deployments "
                    + "go to each pull request's own environment"));
        } else {
            List<String> chain = cycleFrom(environment, byName);
            if (!chain.isEmpty()) {
                errors.add(new ConfigurationError(path + ".requires", "forms a cycle: " + String.join(" → ", chain)));
            }
        }
    }

    /** The cycle of {@code requires} through {@code environment}, as names ending where they start; empty without one. */
    private static List<String> cycleFrom(EnvironmentConfiguration environment, Map<String, EnvironmentConfiguration> byName) {
        LinkedHashSet<String> chain = new LinkedHashSet<>();
        chain.add(environment.name());
        EnvironmentConfiguration current = environment;
        while (current.requires() != null && byName.containsKey(current.requires())) {
            String next = current.requires();
            if (next.equals(environment.name())) {
                List<String> cycle = new ArrayList<>(chain);
                cycle.add(next);
                return cycle;
            }
            if (!chain.add(next)) {
                return List.of(); // a cycle further on, not through this environment: reported there
            }
            current = byName.get(next);
        }
        return List.of();
    }

    private void validateTarget(TargetSpec target, String path, List<ConfigurationError> errors) {
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
                validateHeaders(target.headers(), path + ".headers", errors);
                validateTemplate(target.body(), path + ".body", errors);
                if (target.success() != null && (target.success().pointer() == null
                        || !(target.success().pointer().isEmpty() || target.success().pointer().startsWith("/")))) {
                    errors.add(new ConfigurationError(path + ".success.pointer",
                            "must be a JSON pointer such as /responseMeta/success"));
                }
                notFor(target.pipeline(), path + ".pipeline", "bitbucket-pipeline", errors);
                notFor(target.variables(), path + ".variables", "bitbucket-pipeline", errors);
                notFor(target.follow(), path + ".follow", "bitbucket-pipeline and pulumi", errors);
            }
            case TargetSpec.BITBUCKET_PIPELINE -> {
                if (target.pipeline() == null || target.pipeline().isBlank()) {
                    errors.add(new ConfigurationError(path + ".pipeline", "is required for a bitbucket-pipeline target"));
                }
                validateTemplates(target.variables(), path + ".variables", errors);
                httpOnly(target, path, errors);
                validateFollow(target.follow(), path + ".follow", errors);
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
                httpOnly(target, path, errors);
                notFor(target.variables(), path + ".variables", "bitbucket-pipeline", errors);
                validateFollow(target.follow(), path + ".follow", errors);
            }
            default -> errors.add(new ConfigurationError(path + ".type", "must be one of http, bitbucket-pipeline, pulumi"));
        }
        if (target.auth() != null) {
            if (!"bearer".equals(target.auth().type())) {
                errors.add(new ConfigurationError(path + ".auth.type", "must be bearer"));
            }
            validateReference(target.auth().token(), path + ".auth.token", errors);
        }
    }

    private static void httpOnly(TargetSpec target, String path, List<ConfigurationError> errors) {
        notFor(target.method(), path + ".method", "http", errors);
        notFor(target.url(), path + ".url", "http", errors);
        notFor(target.headers(), path + ".headers", "http", errors);
        notFor(target.body(), path + ".body", "http", errors);
        notFor(target.success(), path + ".success", "http", errors);
    }

    /** A field another target type has: refused rather than silently ignored. */
    private static void notFor(Object value, String path, String types, List<ConfigurationError> errors) {
        boolean present = value instanceof Map<?, ?> map ? !map.isEmpty() : value != null;
        if (present) {
            errors.add(new ConfigurationError(path, "applies only to " + types + " targets"));
        }
    }

    private static void validateFollow(TargetSpec.FollowUp follow, String path, List<ConfigurationError> errors) {
        if (follow == null) {
            return;
        }
        if (follow.interval() != null && !positiveDuration(follow.interval())) {
            errors.add(new ConfigurationError(path + ".interval", "must be a positive duration such as 5s or 60m"));
        }
        if (follow.deadline() != null && !positiveDuration(follow.deadline())) {
            errors.add(new ConfigurationError(path + ".deadline", "must be a positive duration such as 5s or 60m"));
        }
    }

    private void validateReference(String reference, String path, List<ConfigurationError> errors) {
        if (reference == null) {
            errors.add(new ConfigurationError(path, REFERENCE));
            return;
        }
        Matcher env = ENV_REFERENCE.matcher(reference);
        if (env.matches()) {
            if (!env.group(1).startsWith(envPrefix) || env.group(1).length() == envPrefix.length()) {
                errors.add(new ConfigurationError(path, "env: may only name variables starting with " + envPrefix
                        + ": a configuration cannot read the services' own secrets"));
            }
            return;
        }
        Matcher file = FILE_REFERENCE.matcher(reference);
        if (file.matches()) {
            if (file.group(1).contains("/../") || file.group(1).endsWith("/..") || file.group(1).contains("/./")) {
                errors.add(new ConfigurationError(path, "file: must name a file by its absolute path, without . or .."));
            }
            return;
        }
        if (!OIDC_REFERENCE.matcher(reference).matches()) {
            errors.add(new ConfigurationError(path, REFERENCE));
        }
    }

    /** Headers are sent as they are: a credential in one would be a secret in the configuration. */
    private static void validateHeaders(Map<String, String> headers, String path, List<ConfigurationError> errors) {
        if (headers == null) {
            return;
        }
        headers.forEach((name, value) -> {
            String field = path + "." + name;
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                errors.add(new ConfigurationError(field, "is not a valid header name"));
            } else if (CREDENTIAL_NAME.matcher(name).matches() || (value != null && CREDENTIAL_VALUE.matcher(value).matches())) {
                errors.add(new ConfigurationError(field, "carries a credential: give it as auth with a reference "
                        + "(env:NAME, file:/path or oidc:NAME), never in a header"));
            } else {
                validateTemplate(value, field, errors);
            }
        });
    }

    private static void validateUrl(String url, String path, List<ConfigurationError> errors) {
        validateTemplate(url, path, errors);
        try {
            URI uri = new URI(TemplatePlaceholders.PLACEHOLDER.matcher(url).replaceAll("x"));
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                errors.add(new ConfigurationError(path, "must be an absolute http or https URL"));
                return;
            }
            if (uri.getRawUserInfo() != null) {
                errors.add(new ConfigurationError(path, "must not carry credentials in its user-info: give them as auth "
                        + "with a reference (env:NAME, file:/path or oidc:NAME)"));
            }
            if (uri.getRawQuery() != null) {
                for (String parameter : uri.getRawQuery().split("&")) {
                    String name = parameter.split("=", 2)[0];
                    String value = parameter.contains("=") ? parameter.split("=", 2)[1] : "";
                    if (CREDENTIAL_NAME.matcher(name).matches() && !value.isEmpty()) {
                        errors.add(new ConfigurationError(path, "must not carry a credential in its query parameter '"
                                + name + "': give it as auth with a reference (env:NAME, file:/path or oidc:NAME)"));
                    }
                }
            }
        } catch (URISyntaxException e) {
            errors.add(new ConfigurationError(path, "is not a valid URL"));
        }
    }

    private static void validateTemplates(Map<String, String> templates, String path, List<ConfigurationError> errors) {
        if (templates != null) {
            templates.forEach((name, value) -> validateTemplate(value, path + "." + name, errors));
        }
    }

    /** Placeholders as {@link TemplatePlaceholders} writes them; an unknown name is refused. */
    private static void validateTemplate(String template, String path, List<ConfigurationError> errors) {
        for (String unknown : TemplatePlaceholders.unknownNames(template)) {
            errors.add(new ConfigurationError(path, "unknown placeholder {" + unknown + "}; known: "
                    + String.join(", ", TemplatePlaceholders.NAMES.stream().map(name -> "{" + name + "}").toList())));
        }
    }

    private static boolean validTagGlob(String glob) {
        return !glob.isBlank() && TAG_GLOB.matcher(glob).matches() && !glob.contains("..") && !glob.startsWith("/")
                && !glob.endsWith("/") && !glob.endsWith(".lock") && !glob.contains("@{");
    }

    /** As deploy-service reads {@code follow} durations (Quarkus' format: {@code 5s}, {@code 60m}, {@code PT1H}). */
    private static boolean positiveDuration(String text) {
        try {
            Duration duration = DurationConverter.parseDuration(text.trim());
            return duration != null && !duration.isNegative() && !duration.isZero();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
