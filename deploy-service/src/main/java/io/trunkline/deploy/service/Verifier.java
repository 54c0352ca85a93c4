package io.trunkline.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.configuration.DurationConverter;
import io.trunkline.deploy.client.CallInterruptedException;
import io.trunkline.deploy.client.VerifyHttpClient;
import io.trunkline.deploy.config.CredentialsConfig;
import io.trunkline.deploy.config.VerifyConfig;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.TemplatePlaceholders;
import io.trunkline.events.VerificationResult;
import io.trunkline.events.VerificationResult.CheckResult;
import io.trunkline.events.VerifyCheck;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * Runs a deployment's {@code verify} checks, in order, after its target reported success; the first check
 * that fails ends the verification (the checks after it are not run). Templates are expanded as a target's
 * are, and {@code {url}} is the environment's URL, inserted as it is.
 * <ul>
 *   <li>{@code http}: GET the URL until the answer has the expected status (default any 2xx), contains
 *       {@code bodyContains} and holds {@code equals} at {@code jsonPointer}, at most {@code retries} more
 *       times, {@code interval} apart, each request bounded by {@code timeout}; through the address guard.</li>
 *   <li>{@code postman}: newman runs the collection ({@link NewmanRunner}); a {@code file:} collection must be
 *       in the secrets directory ({@link SecretFiles}; by default the credentials' directory), a URL is fetched
 *       through the address guard, the environment's URL must pass the guard too; secret variables
 *       ({@code env:}, {@code file:}) are credential references ({@link CredentialResolver}, confined as
 *       targets' are), resolved here and never logged or reported.</li>
 * </ul>
 */
@ApplicationScoped
public class Verifier {

    private static final Logger LOG = Logger.getLogger(Verifier.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;

    private final VerifyHttpClient http;
    private final CredentialResolver credentials;
    private final VerifyConfig config;
    private final SecretFiles files;
    private final NewmanRunner newman;

    public Verifier(VerifyHttpClient http, CredentialResolver credentials, VerifyConfig config,
            CredentialsConfig credentialsConfig) {
        this.http = http;
        this.credentials = credentials;
        this.config = config;
        this.files = config.secretsDir().map(directory -> new SecretFiles(directory, "trunkline.verify.secrets-dir"))
                .orElseGet(() -> new SecretFiles(credentialsConfig.fileDir(), "trunkline.credentials.file-dir"));
        this.newman = new NewmanRunner(config.newmanCommand());
    }

    /**
     * Runs the checks.
     *
     * @param leaseHeld checked between attempts: false once this instance may have lost the run, which then
     *                  ends the verification failed
     * @param progress told the result so far after each check
     * @throws CallInterruptedException when the thread is interrupted (the process stops)
     */
    public VerificationResult verify(DeploymentRequested request, BooleanSupplier leaseHeld,
            Consumer<VerificationResult> progress) {
        List<VerifyCheck> checks = request.verify();
        List<CheckResult> results = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            VerifyCheck check = checks.get(i);
            String name = check.displayName(i);
            CheckResult result;
            try {
                result = switch (check.type() == null ? "" : check.type()) {
                    case VerifyCheck.HTTP -> httpCheck(request, check, name, leaseHeld);
                    case VerifyCheck.POSTMAN -> postmanCheck(request, check, name);
                    default -> new CheckResult(name, check.type(), VerificationResult.FAILED, 0,
                            "unknown check type " + check.type() + "; known: http, postman", null);
                };
            } catch (DeploymentFailedException e) {
                result = new CheckResult(name, check.type(), VerificationResult.FAILED, 0, e.getMessage(), null);
            }
            results.add(result);
            LOG.infof("Deployment %s of %s to %s: check %s %s: %s", request.deploymentId(),
                    StateEvents.repository(request), request.environment(), name, result.outcome(), result.detail());
            if (VerificationResult.FAILED.equals(result.outcome())) {
                return new VerificationResult(VerificationResult.FAILED, name, List.copyOf(results));
            }
            if (i < checks.size() - 1) {
                progress.accept(new VerificationResult(VerificationResult.RUNNING, null, List.copyOf(results)));
            }
        }
        return new VerificationResult(VerificationResult.PASSED, null, List.copyOf(results));
    }

    private CheckResult httpCheck(DeploymentRequested request, VerifyCheck check, String name,
            BooleanSupplier leaseHeld) {
        URI uri = uri(expandUrl(request, check.url(), name + " url"), name + " url");
        int retries = check.retries() == null ? config.retries() : Math.max(0, check.retries());
        Duration interval = duration(check.interval(), config.interval());
        Duration timeout = duration(check.timeout(), config.httpTimeout());
        String last = null;
        int attempts = 0;
        for (int attempt = 0; attempt <= retries; attempt++) {
            if (attempt > 0) {
                if (!leaseHeld.getAsBoolean()) {
                    return failed(name, VerifyCheck.HTTP, attempts, last + "; no further attempt: this instance could"
                            + " not renew its lease on the run");
                }
                sleep(interval);
            }
            attempts++;
            try {
                VerifyHttpClient.Fetched fetched = http.get(uri, timeout, MAX_ANSWER_BYTES);
                last = judge(check.expect(), fetched);
                if (last == null) {
                    return new CheckResult(name, VerifyCheck.HTTP, VerificationResult.PASSED, attempts, "answered "
                            + fetched.status() + (attempts == 1 ? "" : " at attempt " + attempts), null);
                }
            } catch (VerifyHttpClient.NotFetchedException e) {
                last = e.getMessage();
                if (last.contains(io.trunkline.deploy.client.AddressGuard.ALLOWED_HOSTS_VARIABLE)) {
                    return failed(name, VerifyCheck.HTTP, attempts, last); // the guard does not change its mind
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallInterruptedException("deploy-service is stopping while an http check runs");
            }
        }
        return failed(name, VerifyCheck.HTTP, attempts, last + (attempts == 1 ? "" : " (" + attempts + " attempts)"));
    }

    /** Why the answer does not meet the expectation; null when it does. */
    static String judge(VerifyCheck.Expect expect, VerifyHttpClient.Fetched fetched) {
        int status = fetched.status();
        Integer expected = expect == null ? null : expect.status();
        if (expected == null ? status < 200 || status > 299 : status != expected) {
            return "answered " + status + ", expected " + (expected == null ? "2xx" : expected);
        }
        if (expect == null || (expect.bodyContains() == null && expect.jsonPointer() == null)) {
            return null;
        }
        if (fetched.body() == null) {
            return "its answer is longer than " + MAX_ANSWER_BYTES / 1024 + " KiB";
        }
        String body = new String(fetched.body(), StandardCharsets.UTF_8);
        if (expect.bodyContains() != null && !body.contains(expect.bodyContains())) {
            return "answered " + status + " without the expected text in its body";
        }
        if (expect.jsonPointer() != null) {
            JsonNode answer;
            try {
                answer = JSON.readTree(body);
            } catch (IOException e) {
                return "answered " + status + " with a body that is not JSON";
            }
            JsonNode found;
            try {
                found = answer == null ? null : answer.at(expect.jsonPointer());
            } catch (IllegalArgumentException e) {
                return "jsonPointer " + expect.jsonPointer() + " is not a JSON pointer";
            }
            if (found == null || found.isMissingNode()) {
                return "answered " + status + " without " + expect.jsonPointer();
            }
            JsonNode wanted = expect.expected();
            if (wanted != null && !found.equals(wanted)
                    && !(wanted.isValueNode() && found.isValueNode() && found.asText().equals(wanted.asText()))) {
                String shown = found.toString();
                return expect.jsonPointer() + " is " + (shown.length() > 80 ? shown.substring(0, 79) + "…" : shown)
                        + ", expected " + wanted;
            }
        }
        return null;
    }

    private CheckResult postmanCheck(DeploymentRequested request, VerifyCheck check, String name) {
        if (request.environmentUrl() != null) {
            try {
                http.refusal(new URI(request.environmentUrl())).ifPresent(refusal -> {
                    throw new DeploymentFailedException("the environment's url: " + refusal);
                });
            } catch (URISyntaxException e) {
                throw new DeploymentFailedException("the environment's url is not a valid URL");
            }
        }
        Map<String, String> variables = new LinkedHashMap<>();
        Set<String> secrets = new HashSet<>();
        if (request.environmentUrl() != null) {
            variables.put(TemplatePlaceholders.URL, request.environmentUrl());
        }
        if (check.environment() != null) {
            for (Map.Entry<String, String> variable : check.environment().entrySet()) {
                String value = variable.getValue() == null ? "" : variable.getValue();
                if (value.startsWith("env:") || value.startsWith("file:")) {
                    // a credential reference: confined as targets' are (the prefix, the credentials' directory)
                    variables.put(variable.getKey(), credentials.resolve(value).secret());
                    secrets.add(variable.getKey());
                } else {
                    variables.put(variable.getKey(), expandText(request, value, name + " variable " + variable.getKey()));
                }
            }
        }
        Duration timeout = duration(check.timeout(), config.postmanTimeout());
        Path work;
        try {
            work = Files.createTempDirectory("trunkline-newman-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            return failed(name, VerifyCheck.POSTMAN, 0, "could not create a temporary directory for newman");
        }
        try {
            Path collection = collection(check.collection(), name, work);
            NewmanRunner.Run run = newman.run(collection, variables, secrets, timeout, work);
            return new CheckResult(name, VerifyCheck.POSTMAN, run.passed() ? VerificationResult.PASSED
                    : VerificationResult.FAILED, 1, run.detail(), run.summary());
        } finally {
            NewmanRunner.deleteTree(work);
        }
    }

    /** The collection's file: the confined {@code file:} reference, or the URL's answer saved in {@code work}. */
    private Path collection(String reference, String name, Path work) {
        if (reference == null || reference.isBlank()) {
            throw new DeploymentFailedException(name + " names no collection");
        }
        if (reference.startsWith("file:")) {
            return files.resolve(reference);
        }
        URI uri = uri(reference, name + " collection");
        try {
            VerifyHttpClient.Fetched fetched = http.get(uri, config.httpTimeout().multipliedBy(6),
                    config.maxCollectionBytes());
            if (fetched.status() < 200 || fetched.status() > 299) {
                throw new DeploymentFailedException("fetching the collection of " + name + ": answered "
                        + fetched.status());
            }
            if (fetched.body() == null) {
                throw new DeploymentFailedException("the collection of " + name + " is longer than "
                        + config.maxCollectionBytes() / 1024 + " KiB");
            }
            Path file = work.resolve("collection.json");
            Files.write(file, fetched.body());
            return file;
        } catch (VerifyHttpClient.NotFetchedException e) {
            throw new DeploymentFailedException("fetching the collection of " + name + ": " + e.getMessage());
        } catch (IOException e) {
            throw new DeploymentFailedException("could not save the collection of " + name);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallInterruptedException("deploy-service is stopping while a postman check runs");
        }
    }

    private static String expandUrl(DeploymentRequested request, String template, String where) {
        return TemplateExpander.forDeployment(request).expandUrl(withUrl(request, template), where);
    }

    private static String expandText(DeploymentRequested request, String template, String where) {
        return TemplateExpander.forDeployment(request).expandText(withUrl(request, template), where);
    }

    /** {@code {url}} replaced by the environment's URL as it is (it is a URL already). */
    private static String withUrl(DeploymentRequested request, String template) {
        if (template == null || !template.contains("{" + TemplatePlaceholders.URL + "}")) {
            return template;
        }
        if (request.environmentUrl() == null) {
            throw new DeploymentFailedException("a check uses {url}, but the environment has no url");
        }
        return template.replace("{" + TemplatePlaceholders.URL + "}", request.environmentUrl());
    }

    private static URI uri(String text, String where) {
        try {
            return new URI(text);
        } catch (URISyntaxException | NullPointerException e) {
            throw new DeploymentFailedException(where + " is not a valid URL once its placeholders are filled in");
        }
    }

    private static Duration duration(String text, Duration fallback) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            Duration parsed = DurationConverter.parseDuration(text.trim());
            return parsed == null || parsed.isNegative() || parsed.isZero() ? fallback : parsed;
        } catch (RuntimeException e) {
            return fallback;
        }
    }

    private static CheckResult failed(String name, String type, int attempts, String detail) {
        return new CheckResult(name, type, VerificationResult.FAILED, attempts, detail, null);
    }

    private static void sleep(Duration interval) {
        try {
            Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallInterruptedException("deploy-service is stopping while an http check waits to poll again");
        }
    }

}
