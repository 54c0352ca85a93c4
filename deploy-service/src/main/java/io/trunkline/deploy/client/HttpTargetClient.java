package io.trunkline.deploy.client;

import io.trunkline.deploy.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 * {@code trunkline.deploy.attempt-timeout}, transient failures retried per {@link RetryPolicy},
 * each attempt first checked by the {@link AddressGuard}. Redirects are not followed (a redirect
 * could lead past the address guard); response bodies are discarded unread.
 */
@ApplicationScoped
public class HttpTargetClient {

    private static final Logger LOG = Logger.getLogger(HttpTargetClient.class);

    private final HttpClient http;
    private final RetryPolicy retryPolicy;
    private final Duration attemptTimeout;
    private final AddressGuard guard;

    public HttpTargetClient(DeployConfig config,
            @ConfigProperty(name = "trunkline.target.allowed-hosts") Optional<List<String>> allowedHosts) {
        this.retryPolicy = new RetryPolicy(config.attempts(), config.initialBackoff(), config.maxBackoff());
        this.attemptTimeout = config.attemptTimeout();
        this.guard = new AddressGuard(allowedHosts.orElse(List.of()), InetAddress::getAllByName);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(attemptTimeout)
                .build();
    }

    public CallOutcome call(UUID deploymentId, HttpTargetRequest target) {
        HttpRequest request;
        try {
            request = build(target);
        } catch (InvalidRequestException e) {
            return new CallOutcome(false, e.getMessage(), 0);
        }
        String host = target.uri().getHost();
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
                return new CallOutcome(false, "deploy-service stopped before the target answered", calls);
            }
            if (result instanceof AttemptResult.Answered answered && answered.succeeded()) {
                return new CallOutcome(true, describe(result, host), calls);
            }
            if (!retryPolicy.shouldRetry(result, attempt)) {
                return new CallOutcome(false, describe(result, host) + suffix(result, attempt), calls);
            }
            Duration backoff = retryPolicy.backoffAfter(attempt);
            LOG.infof("Deployment %s: attempt %d of %d failed (%s), retrying in %s", deploymentId, attempt,
                    retryPolicy.attempts(), describe(result, host), human(backoff));
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new CallOutcome(false, "deploy-service stopped before the deployment finished; last attempt: "
                        + describe(result, host), calls);
            }
        }
    }

    private AttemptResult send(HttpRequest request) throws InterruptedException {
        CompletableFuture<HttpResponse<Void>> response = http.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return new AttemptResult.Answered(response.get(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS).statusCode());
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
            case TIMEOUT -> "target timed out after " + human(attemptTimeout);
            case CONNECT -> "unresolved".equals(failed.detail())
                    ? "could not resolve target host " + host
                    : "could not connect to target host " + host;
            case TLS -> "TLS handshake with target host " + host + " failed";
            case IO -> "connection to target host " + host + " failed: " + failed.detail();
        };
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
