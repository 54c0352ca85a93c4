package io.trunkline.deploy.client;

import io.trunkline.deploy.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
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

/**
 * Calls {@code http} targets: each attempt bounded by {@code trunkline.deploy.attempt-timeout} and
 * first checked by the {@link AddressGuard}, repeated as {@link CallRetries} decides. The call carries
 * {@code Idempotency-Key: <deployment id>}. A 2xx answer is success unless the target names its own
 * success condition on the JSON answer ({@link SuccessCheck}); the answer is only read for that, and
 * never logged or published. Redirects are not followed (a redirect could lead past the address guard).
 */
@ApplicationScoped
public class HttpTargetClient {

    /** Lets the HTTP client's own timeouts, which tell a connect timeout apart, fire before ours. */
    private static final Duration TIMEOUT_GRACE = Duration.ofMillis(500);

    private final HttpClient http;
    private final CallRetries retries;
    private final Duration attemptTimeout;
    private final AddressGuard guard;

    public HttpTargetClient(DeployConfig config, CallRetries retries,
            @ConfigProperty(name = "trunkline.target.allowed-hosts") Optional<List<String>> allowedHosts) {
        this.retries = retries;
        this.attemptTimeout = config.attemptTimeout();
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
        URI uri = target.uri();
        boolean[] renewed = {false};
        CallRetries.Result result = retries.call(uri.getHost() + ":" + port(uri), "Deployment " + deploymentId, rules,
                () -> attempt(request, target, renewed));
        return outcome(result, uri.getHost(), rules.notAfter());
    }

    /**
     * One call, with the credential's current secret. A 401 to a credential that can be renewed (an
     * OAuth2 token) renews it once per deployment, and the call is made again with the new one.
     */
    private AttemptResult attempt(HttpRequest request, HttpTargetRequest target, boolean[] renewed) {
        try {
            Optional<String> refusal = guard.refusal(target.uri().getHost());
            if (refusal.isPresent()) {
                return new AttemptResult.Failed(AttemptResult.Kind.BLOCKED, refusal.get());
            }
            TargetCredential credential = target.credential();
            if (credential == null) {
                return send(request, target);
            }
            String secret;
            try {
                secret = credential.secret();
            } catch (CredentialUnavailableException e) {
                return new AttemptResult.Failed(AttemptResult.Kind.CREDENTIAL, e.getMessage());
            }
            HttpRequest authorized;
            try {
                authorized = HttpRequest.newBuilder(request, (name, value) -> true)
                        .setHeader("Authorization", "Bearer " + secret).build();
            } catch (IllegalArgumentException e) {
                return new AttemptResult.Failed(AttemptResult.Kind.BLOCKED,
                        "the secret of " + credential + " is not a valid header value");
            }
            AttemptResult result = send(authorized, target);
            if (result instanceof AttemptResult.Answered answered && answered.status() == 401 && !renewed[0]
                    && credential.renew(secret)) {
                renewed[0] = true;
                return new AttemptResult.CredentialRefused(answered.status());
            }
            return result;
        } catch (UnknownHostException e) {
            return new AttemptResult.Failed(AttemptResult.Kind.CONNECT, "unresolved");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallInterruptedException("deploy-service is stopping during a call to the target;"
                    + " its answer is unknown");
        }
    }

    private CallOutcome outcome(CallRetries.Result result, String host, Instant notAfter) {
        AttemptResult last = result.last();
        String described = describe(last, host) + suffix(last, result.calls());
        return switch (result.ending()) {
            case SETTLED -> new CallOutcome(last.verdict() == AttemptResult.Verdict.SUCCEEDED, described, result.calls());
            case OUTCOME_UNKNOWN -> new CallOutcome(false, "outcome unknown: " + describeUnknown(last, host),
                    result.calls());
            case BUDGET_SPENT -> new CallOutcome(false, described, result.calls());
            case NOT_AFTER -> new CallOutcome(false, described + "; no attempt after " + notAfter
                    + ", when promotion-service gives up", result.calls());
            case LEASE_LOST -> new CallOutcome(false, described
                    + "; no further attempt: this instance could not renew its lease on the run", result.calls());
        };
    }

    private AttemptResult send(HttpRequest request, HttpTargetRequest target) throws InterruptedException {
        boolean readAnswer = target.success() != null;
        CompletableFuture<? extends HttpResponse<?>> response = readAnswer
                ? http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                : http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        HttpResponse<?> answer;
        try {
            answer = response.get(attemptTimeout.plus(TIMEOUT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            return AttemptResult.of(e);
        } catch (ExecutionException e) {
            return AttemptResult.of(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            response.cancel(true);
            throw e;
        }
        int status = answer.statusCode();
        if (readAnswer && status >= 200 && status < 300) {
            Optional<String> failure = SuccessCheck.failure(target.success(), (byte[]) answer.body());
            if (failure.isPresent()) {
                return new AttemptResult.Unsuccessful(status, failure.get());
            }
        }
        Duration retryAfter = RetryAfter.parse(answer.headers().firstValue("Retry-After").orElse(null), Instant.now())
                .orElse(null);
        return new AttemptResult.Answered(status, retryAfter);
    }

    private HttpRequest build(HttpTargetRequest target) {
        String scheme = target.uri().getScheme() == null ? "" : target.uri().getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || target.uri().getHost() == null) {
            throw new InvalidRequestException("target url must be an absolute http or https URL with a host");
        }
        if (target.success() != null) {
            try {
                SuccessCheck.pointer(target.success());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage());
            }
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(target.uri()).timeout(attemptTimeout);
        boolean contentType = false;
        boolean idempotencyKey = false;
        for (Map.Entry<String, String> header : target.headers().entrySet()) {
            try {
                builder.header(header.getKey(), header.getValue());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("target header " + header.getKey()
                        + " cannot be sent: invalid name or value, or one the HTTP client sets itself");
            }
            contentType |= header.getKey().equalsIgnoreCase("Content-Type");
            idempotencyKey |= header.getKey().equalsIgnoreCase("Idempotency-Key");
        }
        if (target.body() != null && !contentType) {
            builder.header("Content-Type", "application/json");
        }
        if (target.idempotencyKey() != null && !idempotencyKey) {
            builder.header("Idempotency-Key", target.idempotencyKey());
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

    private static int port(URI uri) {
        if (uri.getPort() != -1) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private String describe(AttemptResult result, String host) {
        if (result instanceof AttemptResult.Answered answered) {
            int status = answered.status();
            if (status >= 300 && status < 400) {
                return "target answered " + status + "; redirects are not followed";
            }
            return answered.retryAfter() != null && answered.verdict() == AttemptResult.Verdict.NOT_DEPLOYED
                    ? "target answered " + status + " (retry after " + CallRetries.human(answered.retryAfter()) + ")"
                    : "target answered " + status;
        }
        if (result instanceof AttemptResult.CredentialRefused refused) {
            return "target answered " + refused.status() + " to a credential just renewed";
        }
        if (result instanceof AttemptResult.Unsuccessful unsuccessful) {
            return "target answered " + unsuccessful.status() + " but its answer says the deployment failed: "
                    + unsuccessful.detail();
        }
        AttemptResult.Failed failed = (AttemptResult.Failed) result;
        return switch (failed.kind()) {
            case TIMEOUT -> "target did not answer within " + CallRetries.human(attemptTimeout);
            case CONNECT -> "unresolved".equals(failed.detail())
                    ? "could not resolve target host " + host
                    : "could not connect to target host " + host;
            case TLS -> "TLS handshake with target host " + host + " failed";
            case BROKEN -> "connection to target host " + host + " broke before it answered: " + failed.detail();
            case CIRCUIT_OPEN -> "calls to target host " + host
                    + " are paused after too many recent failures (circuit breaker open)";
            case BLOCKED, CREDENTIAL -> failed.detail();
        };
    }

    /** Why a call's outcome is unknown, after "outcome unknown: ". */
    private String describeUnknown(AttemptResult result, String host) {
        AttemptResult.Failed failed = (AttemptResult.Failed) result;
        return failed.kind() == AttemptResult.Kind.TIMEOUT
                ? "the target did not answer within " + CallRetries.human(attemptTimeout)
                : "the connection to target host " + host + " broke before the target answered";
    }

    private static String suffix(AttemptResult result, int calls) {
        if (calls <= 1) {
            return "";
        }
        return result instanceof AttemptResult.Failed ? " (" + calls + " attempts)" : " after " + calls + " attempts";
    }

    /** The target's configuration cannot make a valid request; retrying would not help. */
    private static final class InvalidRequestException extends RuntimeException {
        InvalidRequestException(String message) {
            super(message);
        }
    }
}
