package io.trunkline.deploy.client;

import io.trunkline.deploy.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Calls {@code http} targets with the JDK HTTP client: each attempt bounded by
 * {@code trunkline.deploy.attempt-timeout} and first checked by the {@link AddressGuard}; calls that
 * deployed nothing (5xx, 429, connection refused or unresolved) are retried with backoff and jitter
 * per {@link RetryPolicy} for up to {@code trunkline.deploy.retry-for}. A call whose outcome is
 * unknown (no answer in time, connection broken mid-call) is made again only for an idempotent
 * target. Redirects are not followed (a redirect could lead past the address guard); response
 * bodies are discarded unread.
 */
@ApplicationScoped
public class HttpTargetClient {

    private static final Logger LOG = Logger.getLogger(HttpTargetClient.class);
    /** Lets the HTTP client's own timeouts, which tell a connect timeout apart, fire before ours. */
    private static final Duration TIMEOUT_GRACE = Duration.ofMillis(500);

    private final HttpClient http;
    private final RetryPolicy retryPolicy;
    private final Duration attemptTimeout;
    private final Duration retryFor;
    private final AddressGuard guard;

    public HttpTargetClient(DeployConfig config,
            @ConfigProperty(name = "trunkline.target.allowed-hosts") Optional<List<String>> allowedHosts) {
        this.retryPolicy = new RetryPolicy(config.initialBackoff(), config.maxBackoff(), Math::random);
        this.attemptTimeout = config.attemptTimeout();
        this.retryFor = config.retryFor();
        this.guard = new AddressGuard(allowedHosts.orElse(List.of()), InetAddress::getAllByName);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                // shorter than the request's own timeout, so that a connection that cannot be opened is
                // told apart from a request that got no answer: only the latter has an unknown outcome
                .connectTimeout(attemptTimeout.dividedBy(2))
                .build();
    }

    /**
     * Calls the target until it deploys, refuses, or the rules or the retry budget end the retries.
     *
     * @throws CallInterruptedException when the thread is interrupted before the outcome is known
     */
    public CallOutcome call(UUID deploymentId, HttpTargetRequest target, CallRules rules) {
        HttpRequest request;
        try {
            request = build(target);
        } catch (InvalidRequestException e) {
            return new CallOutcome(false, e.getMessage(), 0);
        }
        String host = target.uri().getHost();
        long started = System.nanoTime();
        Budget budget = budget(rules.notAfter());
        int calls = 0;
        for (int attempt = 1; ; attempt++) {
            AttemptResult result;
            try {
                Optional<String> refusal = guard.refusal(host);
                if (refusal.isPresent()) {
                    return new CallOutcome(false, refusal.get(), calls);
                }
                calls++;
                result = send(request);
            } catch (UnknownHostException e) {
                result = new AttemptResult.Failed(AttemptResult.Kind.CONNECT, "unresolved");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallInterruptedException("deploy-service is stopping; the target was called " + calls
                        + (calls == 1 ? " time" : " times") + " and its last answer is unknown");
            }
            AttemptResult.Verdict verdict = result.verdict();
            if (verdict == AttemptResult.Verdict.SUCCEEDED) {
                return new CallOutcome(true, describe(result, host) + suffix(result, attempt), calls);
            }
            if (verdict == AttemptResult.Verdict.OUTCOME_UNKNOWN && !rules.repeatUnknownOutcomes()) {
                return new CallOutcome(false, "outcome unknown: " + describeUnknown(result, host), calls);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            Optional<Duration> retry = retryPolicy.retryAfter(result, attempt, elapsed, rules.repeatUnknownOutcomes(),
                    budget.length());
            if (retry.isEmpty()) {
                String reason = describe(result, host) + suffix(result, attempt);
                return new CallOutcome(false, RetryPolicy.mayRepeat(verdict, rules.repeatUnknownOutcomes())
                        && budget.endsAtNotAfter() ? reason + "; no attempt after " + rules.notAfter()
                        + ", when promotion-service gives up" : reason, calls);
            }
            LOG.infof("Deployment %s: attempt %d failed (%s), retrying in %s", deploymentId, attempt,
                    describe(result, host), human(retry.get()));
            try {
                Thread.sleep(retry.get().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CallInterruptedException("deploy-service is stopping between two attempts; last attempt: "
                        + describe(result, host));
            }
            if (!rules.leaseHeld().getAsBoolean()) {
                return new CallOutcome(false, describe(result, host) + suffix(result, attempt)
                        + "; no further attempt: this instance could not renew its lease on the run", calls);
            }
        }
    }

    /** How long after the first call another may start: {@code retry-for}, or less when {@code notAfter} comes first. */
    private Budget budget(Instant notAfter) {
        if (notAfter == null) {
            return new Budget(retryFor, false);
        }
        Duration untilNotAfter = Duration.between(Instant.now(), notAfter);
        return untilNotAfter.compareTo(retryFor) < 0 ? new Budget(untilNotAfter, true) : new Budget(retryFor, false);
    }

    private record Budget(Duration length, boolean endsAtNotAfter) {
    }

    private AttemptResult send(HttpRequest request) throws InterruptedException {
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return new AttemptResult.Answered(response.get(attemptTimeout.plus(TIMEOUT_GRACE).toMillis(),
                    TimeUnit.MILLISECONDS).statusCode());
        } catch (TimeoutException e) {
            response.cancel(true);
            return AttemptResult.of(e);
        } catch (ExecutionException e) {
            return AttemptResult.of(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        }
    }

    private HttpRequest build(HttpTargetRequest target) {
        String scheme = target.uri().getScheme() == null ? "" : target.uri().getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || target.uri().getHost() == null) {
            throw new InvalidRequestException("target url must be an absolute http or https URL with a host");
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.uri()).timeout(attemptTimeout);
        boolean contentType = false;
        for (Map.Entry<String, String> header : target.headers().entrySet()) {
            try {
                builder.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("target header " + header.getKey()
                        + " cannot be sent: invalid name or value, or one the HTTP client sets itself");
            }
            contentType |= header.getKey().equalsIgnoreCase("Content-Type");
        }
        if (target.body() != null && !contentType) {
            builder.header("Content-Type", "application/json");
        }
        if (target.bearerToken() != null) {
            try {
                builder.setHeader("Authorization", "Bearer " + target.bearerToken());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("the target's credential is not a valid header value");
            }
        }
        String method = target.method() == null || target.method().isBlank()
                ? "POST" : target.method().trim().toUpperCase(Locale.ROOT);
        HttpRequest.BodyPublisher body = target.body() == null
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(target.body());
        try {
            builder.method(method, body);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("target method " + method + " is not a valid HTTP method");
        }
        return builder.build();
    }

    private String describe(AttemptResult result, String host) {
        if (result instanceof AttemptResult.Answered answered) {
            int status = answered.status();
            return status >= 300 && status < 400
                    ? "target answered " + status + "; redirects are not followed"
                    : "target answered " + status;
        }
        AttemptResult.Failed failed = (AttemptResult.Failed) result;
        return switch (failed.kind()) {
            case TIMEOUT -> "target did not answer within " + human(attemptTimeout);
            case CONNECT -> "unresolved".equals(failed.detail())
                    ? "could not resolve target host " + host
                    : "could not connect to target host " + host;
            case TLS -> "TLS handshake with target host " + host + " failed";
            case BROKEN -> "connection to target host " + host + " broke before it answered: " + failed.detail();
        };
    }

    /** Why a call's outcome is unknown, after "outcome unknown: ". */
    private String describeUnknown(AttemptResult result, String host) {
        AttemptResult.Failed failed = (AttemptResult.Failed) result;
        return failed.kind() == AttemptResult.Kind.TIMEOUT
                ? "the target did not answer within " + human(attemptTimeout)
                : "the connection to target host " + host + " broke before the target answered";
    }

    private static String suffix(AttemptResult result, int attempts) {
        if (attempts == 1) {
            return "";
        }
        return result instanceof AttemptResult.Answered ? " after " + attempts + " attempts" : " (" + attempts + " attempts)";
    }

    /** {@code 30s}, {@code 500ms}: durations as operators write them in the configuration. */
    static String human(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }

    /** The target's configuration cannot make a valid request; retrying would not help. */
    private static final class InvalidRequestException extends RuntimeException {
        InvalidRequestException(String message) {
            super(message);
        }
    }
}
