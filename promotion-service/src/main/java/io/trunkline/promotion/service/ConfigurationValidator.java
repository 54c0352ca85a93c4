package io.trunkline.promotion.service;

import io.quarkus.runtime.configuration.DurationConverter;
import io.trunkline.events.TargetSpec;
import io.trunkline.events.TemplatePlaceholders;
import io.trunkline.events.VerifyCheck;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a repository configuration and names every invalid field, as clients write it
 * ({@code environments[1].target.headers.Authorization}). Nothing is accepted that is not honoured, and no
 * secret is accepted where a reference belongs: credentials are {@code env:NAME} (with the configured
 * prefix, so a configuration cannot read the services' own secrets), {@code file:/path} (a file in the
 * credentials directory, {@link CredentialFiles}) or {@code oidc:NAME}, in {@code auth}; never a literal in
 * {@code auth}, in a header, in a URL's user-info or in a query parameter named like a credential. Messages
 * never repeat a submitted value. No I/O but looking up where a {@code file:} path's symbolic links lead.
 */
public final class ConfigurationValidator {

    private static final Set<String> TRIGGERS = Set.of(EnvironmentConfiguration.TRIGGER_PULL_REQUEST,
            EnvironmentConfiguration.TRIGGER_TRUNK, EnvironmentConfiguration.TRIGGER_RELEASE_TAG);
    private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Set<String> PULUMI_OPERATIONS = Set.of("update", "preview", "refresh", "destroy");
    private static final Set<String> CONCURRENCY = Set.of(EnvironmentConfiguration.CONCURRENCY_SUPERSEDE,
            EnvironmentConfiguration.CONCURRENCY_QUEUE);
    private static final Set<String> ON_FAILURE = Set.of(EnvironmentConfiguration.ON_FAILURE_FAIL,
            EnvironmentConfiguration.ON_FAILURE_ROLLBACK);
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
    private final CredentialFiles files;

    /**
     * @param envPrefix the prefix every {@code env:} reference must have, e.g. {@code TRUNKLINE_TARGET_}
     * @param files     the directory every {@code file:} reference must name a file in
     */
    public ConfigurationValidator(String envPrefix, CredentialFiles files) {
        this.envPrefix = envPrefix;
        this.files = files;
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
        validateReconcile(config.reconcile(), errors);
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
        validateVerify(environment, path, errors);
        validateApprovers(environment, path, errors);
    }

    /** Roles or groups that may approve: only with {@code approval: true}, each named once. */
    private static void validateApprovers(EnvironmentConfiguration environment, String path,
            List<ConfigurationError> errors) {
        List<String> approvers = environment.approvers();
        if (approvers == null) {
            return;
        }
        if (!environment.needsApproval()) {
            errors.add(new ConfigurationError(path + ".approvers", "applies only with approval: true"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < approvers.size(); i++) {
            String approver = approvers.get(i);
            if (approver == null || approver.isBlank() || approver.length() > 255 || !approver.strip().equals(approver)) {
                errors.add(new ConfigurationError(path + ".approvers[" + i + "]",
                        "must be a role or group name (1 to 255 characters, no surrounding spaces)"));
            } else if (!seen.add(approver)) {
                errors.add(new ConfigurationError(path + ".approvers[" + i + "]", "'" + approver + "' is listed twice"));
            }
        }
    }

    /**
     * The post-deploy checks: {@code http} polls and {@code postman} collections, their templates with
     * {@code {url}} (the environment's url, which must then be set), and {@code onFailure}.
     */
    private void validateVerify(EnvironmentConfiguration environment, String path, List<ConfigurationError> errors) {
        List<VerifyCheck> checks = environment.verify();
        if (environment.onFailure() != null) {
            if (!ON_FAILURE.contains(environment.onFailure())) {
                errors.add(new ConfigurationError(path + ".onFailure", "must be fail or rollback"));
            } else if (EnvironmentConfiguration.ON_FAILURE_ROLLBACK.equals(environment.onFailure())) {
                if (checks == null || checks.isEmpty()) {
                    errors.add(new ConfigurationError(path + ".onFailure", "applies only with verify: a rollback follows "
                            + "failed checks"));
                } else if (environment.previews()) {
                    errors.add(new ConfigurationError(path + ".onFailure", "rollback does not apply to pull-request "
                            + "environments: each pull request's preview has no earlier version to return to"));
                }
            }
        }
        if (checks == null) {
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < checks.size(); i++) {
            VerifyCheck check = checks.get(i);
            String checkPath = path + ".verify[" + i + "]";
            if (check == null) {
                errors.add(new ConfigurationError(checkPath, "must be an object"));
                continue;
            }
            if (check.name() != null && (check.name().isBlank() || check.name().length() > 100
                    || check.name().chars().anyMatch(c -> c < 0x20))) {
                errors.add(new ConfigurationError(checkPath + ".name", "must be 1-100 characters on one line"));
            } else if (!names.add(check.displayName(i))) {
                errors.add(new ConfigurationError(checkPath + ".name", "is the name of another check"));
            }
            if (check.timeout() != null && !positiveDuration(check.timeout())) {
                errors.add(new ConfigurationError(checkPath + ".timeout", "must be a positive duration such as 2s or 5m"));
            }
            if (check.type() == null) {
                errors.add(new ConfigurationError(checkPath + ".type", "must be http or postman"));
                continue;
            }
            switch (check.type()) {
                case VerifyCheck.HTTP -> validateHttpCheck(check, checkPath, environment, errors);
                case VerifyCheck.POSTMAN -> validatePostmanCheck(check, checkPath, environment, errors);
                default -> errors.add(new ConfigurationError(checkPath + ".type", "must be http or postman"));
            }
        }
    }

    private static void validateHttpCheck(VerifyCheck check, String path, EnvironmentConfiguration environment,
            List<ConfigurationError> errors) {
        if (check.url() == null) {
            errors.add(new ConfigurationError(path + ".url", "is required for an http check"));
        } else {
            validateVerifyUrl(check.url(), path + ".url", environment, errors);
        }
        VerifyCheck.Expect expect = check.expect();
        if (expect != null) {
            if (expect.status() != null && (expect.status() < 100 || expect.status() > 599)) {
                errors.add(new ConfigurationError(path + ".expect.status", "must be an HTTP status, 100-599"));
            }
            if (expect.jsonPointer() != null && !(expect.jsonPointer().isEmpty() || expect.jsonPointer().startsWith("/"))) {
                errors.add(new ConfigurationError(path + ".expect.jsonPointer", "must be a JSON pointer such as /status"));
            }
            if (expect.expected() != null && expect.jsonPointer() == null) {
                errors.add(new ConfigurationError(path + ".expect.equals", "applies only with jsonPointer"));
            }
            if (expect.bodyContains() != null && expect.bodyContains().isEmpty()) {
                errors.add(new ConfigurationError(path + ".expect.bodyContains", "must not be empty"));
            }
        }
        if (check.retries() != null && (check.retries() < 0 || check.retries() > 1000)) {
            errors.add(new ConfigurationError(path + ".retries", "must be 0-1000"));
        }
        if (check.interval() != null && !positiveDuration(check.interval())) {
            errors.add(new ConfigurationError(path + ".interval", "must be a positive duration such as 5s"));
        }
        notForCheck(check.collection(), path + ".collection", "postman", errors);
        notForCheck(check.environment(), path + ".environment", "postman", errors);
    }

    private void validatePostmanCheck(VerifyCheck check, String path, EnvironmentConfiguration environment,
            List<ConfigurationError> errors) {
        String collection = check.collection();
        if (collection == null) {
            errors.add(new ConfigurationError(path + ".collection", "is required for a postman check: file:/path or an "
                    + "http(s) URL"));
        } else if (collection.startsWith("file:")) {
            Matcher file = FILE_REFERENCE.matcher(collection);
            if (!file.matches() || file.group(1).contains("/../") || file.group(1).endsWith("/..")
                    || file.group(1).contains("/./")) {
                errors.add(new ConfigurationError(path + ".collection", "file: must name a file by its absolute path, "
                        + "without . or .."));
            } else if (!files.confines(file.group(1))) {
                errors.add(new ConfigurationError(path + ".collection", outsideDirectory()));
            }
        } else {
            validateVerifyUrl(collection, path + ".collection", environment, errors);
        }
        if (check.environment() != null) {
            check.environment().forEach((name, value) -> {
                String field = path + ".environment." + name;
                if (name == null || name.isBlank() || name.chars().anyMatch(c -> c < 0x20)) {
                    errors.add(new ConfigurationError(field, "is not a valid variable name"));
                } else if (value == null) {
                    errors.add(new ConfigurationError(field, "must be a text"));
                } else if (value.startsWith("env:") || value.startsWith("file:")) {
                    validateSecretVariable(value, field, errors);
                } else if (value.startsWith("oidc:")) {
                    errors.add(new ConfigurationError(field, "a secret variable is env:NAME or file:/path"));
                } else if (CREDENTIAL_NAME.matcher(name).matches() || CREDENTIAL_VALUE.matcher(value).matches()) {
                    errors.add(new ConfigurationError(field, "carries a credential: give a reference (env:NAME or "
                            + "file:/path), never the secret itself"));
                } else {
                    validateVerifyTemplate(value, field, environment, errors);
                }
            });
        }
        notForCheck(check.url(), path + ".url", "http", errors);
        notForCheck(check.expect(), path + ".expect", "http", errors);
        notForCheck(check.retries(), path + ".retries", "http", errors);
        notForCheck(check.interval(), path + ".interval", "http", errors);
    }

    /** A secret variable: {@code env:} with the prefix, or {@code file:} by its absolute path. */
    private void validateSecretVariable(String reference, String path, List<ConfigurationError> errors) {
        validateReference(reference, path, errors);
    }

    private static void notForCheck(Object value, String path, String type, List<ConfigurationError> errors) {
        boolean present = value instanceof Map<?, ?> map ? !map.isEmpty() : value != null;
        if (present) {
            errors.add(new ConfigurationError(path, "applies only to " + type + " checks"));
        }
    }

    private static void validateVerifyUrl(String url, String path, EnvironmentConfiguration environment,
            List<ConfigurationError> errors) {
        List<ConfigurationError> found = new ArrayList<>();
        validateVerifyTemplate(url, path, environment, found);
        errors.addAll(found);
        if (found.isEmpty()) {
            // {url} stands for an absolute URL: check the result as if it were one
            validateUrl(url.replace("{" + TemplatePlaceholders.URL + "}", "https://environment.example"), path, errors);
        }
    }

    private static void validateVerifyTemplate(String template, String path, EnvironmentConfiguration environment,
            List<ConfigurationError> errors) {
        for (String unknown : TemplatePlaceholders.unknownNames(template, TemplatePlaceholders.VERIFY_NAMES)) {
            errors.add(new ConfigurationError(path, "unknown placeholder {" + unknown + "}; known: " + String.join(", ",
                    TemplatePlaceholders.VERIFY_NAMES.stream().map(name -> "{" + name + "}").toList())));
        }
        if (template != null && template.contains("{" + TemplatePlaceholders.URL + "}") && environment.url() == null) {
            errors.add(new ConfigurationError(path, "uses {url}, but the environment has no url"));
        }
    }

    /** The shortest reconciliation interval: Bitbucket's API is not to be polled more often per repository. */
    public static final Duration MIN_RECONCILE_INTERVAL = Duration.ofMinutes(1);

    private static void validateReconcile(ReconcileSetting reconcile, List<ConfigurationError> errors) {
        if (reconcile == null) {
            return;
        }
        if (reconcile.interval() == null) {
            errors.add(new ConfigurationError("reconcile.interval", "is required: a duration of at least 1m, such as 10m"));
            return;
        }
        Optional<Duration> interval = DurationSetting.parse(reconcile.interval());
        if (interval.isEmpty()) {
            errors.add(new ConfigurationError("reconcile.interval", DURATION_FORMAT));
        } else if (interval.get().compareTo(MIN_RECONCILE_INTERVAL) < 0) {
            errors.add(new ConfigurationError("reconcile.interval", "must be at least 1m"));
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
            } else if (!files.confines(file.group(1))) {
                errors.add(new ConfigurationError(path, outsideDirectory()));
            }
            return;
        }
        if (!OIDC_REFERENCE.matcher(reference).matches()) {
            errors.add(new ConfigurationError(path, REFERENCE));
        }
    }

    private String outsideDirectory() {
        return "file: may only name a file in " + files.directory() + " (trunkline.credentials.file-dir), symbolic "
                + "links resolved: a configuration cannot read the services' own files";
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
