package io.trunkline.deploy.client;

import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.events.TargetSpec.SuccessCondition;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Calls {@code http} targets with the Vert.x HTTP client: each attempt resolves the target's host once,
 * has the {@link AddressGuard} check every address, and connects to the address it checked (the host
 * name still goes in the {@code Host} header, the TLS server name and the certificate's host-name
 * verification), so a DNS answer that changes in between cannot lead the call elsewhere. Each attempt is
 * bounded by {@code trunkline.deploy.attempt-timeout}, and repeated as {@link CallRetries} decides. The
 * call carries {@code Idempotency-Key: <deployment id>}. A 2xx answer is success unless the target
 * names its own success condition on the JSON answer ({@link SuccessCheck}); the answer is read (up to
 * 1 MiB) only for that, and never logged or published. Redirects are not followed (a redirect could
 * lead past the address guard).
 */
@ApplicationScoped
public class HttpTargetClient {

    /** Lets the client's own timeouts, which tell a connect timeout apart, fire before ours. */
    private static final Duration TIMEOUT_GRACE = Duration.ofMillis(500);
    /** The most of an answer read for a success condition; a longer answer does not meet it. */
    private static final int MAX_ANSWER_BYTES = 1024 * 1024;
    /** How long an idle connection to a target is kept for the next call (Vert.x's default is 60 s). */
    private static final int KEEP_ALIVE_SECONDS = 3;
    /** Headers the client sets itself, or that would change how the request is framed or routed. */
    private static final Set<String> RESTRICTED_HEADERS = Set.of("host", "content-length", "transfer-encoding",
            "connection", "keep-alive", "proxy-connection", "upgrade", "te", "trailer", "expect");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    private final Vertx vertx;
    private final CallRetries retries;
    private final Duration attemptTimeout;
    private final int maxConnectionsPerHost;
    private final AddressGuard guard;
    private volatile HttpClient http;

    public HttpTargetClient(DeployConfig config, CallRetries retries,
            @ConfigProperty(name = "trunkline.target.allowed-hosts") Optional<List<String>> allowedHosts,
            HostResolver resolver, Vertx vertx) {
        this.vertx = vertx;
        this.retries = retries;
        this.attemptTimeout = config.attemptTimeout();
        this.maxConnectionsPerHost = Math.max(config.maxConcurrent(), 5);
        this.guard = new AddressGuard(allowedHosts.orElse(List.of()), resolver);
    }

    /**
     * Calls the target until it deploys, refuses, or the rules or the retry budget end the retries.
     *
     * @throws CallInterruptedException when the thread is interrupted before the outcome is known
     */
    public CallOutcome call(UUID deploymentId, HttpTargetRequest target, CallRules rules) {
        Prepared request;
        try {
            request = prepare(target);
        } catch (InvalidRequestException e) {
            return new CallOutcome(false, e.getMessage(), 0);
        }
        URI uri = target.uri();
        boolean[] renewed = {false};
        CallRetries.Result result = retries.call(uri.getHost() + ":" + request.port(), "Deployment " + deploymentId,
                rules, () -> attempt(request, target, renewed));
        return outcome(result, uri.getHost(), rules.notAfter());
    }

    /**
     * One call to the address the guard checked, with the credential's current secret. A 401 to a
     * credential that can be renewed (an OAuth2 token) renews it once per deployment, and the call is made
     * again with the new one.
     */
    private AttemptResult attempt(Prepared request, HttpTargetRequest target, boolean[] renewed) {
        try {
            AddressGuard.Checked checked = guard.check(request.host());
            if (checked.refusal() != null) {
                return new AttemptResult.Failed(AttemptResult.Kind.BLOCKED, checked.refusal());
            }
            TargetCredential credential = target.credential();
            if (credential == null) {
                return send(request, checked.address(), null);
            }
            String secret;
            try {
                secret = credential.secret();
            } catch (CredentialUnavailableException e) {
                return new AttemptResult.Failed(AttemptResult.Kind.CREDENTIAL, e.getMessage());
            }
            if (!validValue(secret)) {
                return new AttemptResult.Failed(AttemptResult.Kind.BLOCKED,
                        "the secret of " + credential + " is not a valid header value");
            }
            AttemptResult result = send(request, checked.address(), "Bearer " + secret);
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

    /** The request, checked and ready to send to whichever address the guard checks. */
    private record Prepared(HttpMethod method, String host, int port, boolean ssl, String pathAndQuery,
            Map<String, String> headers, String body, SuccessCondition success) {
    }

    private AttemptResult send(Prepared request, InetAddress address, String authorization)
            throws InterruptedException {
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setHost(request.host())
                .setPort(request.port())
                .setSsl(request.ssl())
                .setURI(request.pathAndQuery())
                // the literal address: nothing resolves the name again between the check and the connection
                .setServer(SocketAddress.inetSocketAddress(request.port(), address.getHostAddress()))
                .setFollowRedirects(false)
                // shorter than the attempt, so that a connection that cannot be opened is told apart from a
                // request that got no answer: only the latter has an unknown outcome
                .setConnectTimeout(attemptTimeout.dividedBy(2).toMillis())
                .setIdleTimeout(attemptTimeout.toMillis());
        request.headers().forEach(options::putHeader);
        if (authorization != null) {
            options.putHeader("Authorization", authorization);
        }
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        AtomicReference<HttpClientRequest> sent = new AtomicReference<>();
        boolean readAnswer = request.success() != null;
        // the request future completes once a connection is open (TLS handshake included); nothing is sent before
        http().request(options).onFailure(failure -> answer.completeExceptionally(new NotSentException(failure)))
                .onSuccess(call -> {
                    sent.set(call);
                    call.response().onFailure(answer::completeExceptionally)
                            .onSuccess(response -> read(response, readAnswer, answer));
                    (request.body() == null ? call.end() : call.end(Buffer.buffer(request.body())))
                            .onFailure(answer::completeExceptionally);
                });
        Answer answered;
        try {
            answered = answer.get(attemptTimeout.plus(TIMEOUT_GRACE).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (sent.get() == null) {
                return new AttemptResult.Failed(AttemptResult.Kind.CONNECT, null);
            }
            reset(sent.get());
            return AttemptResult.of(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof NotSentException notSent) {
                // no connection: nothing was sent, whatever the failure (a timeout included), unless TLS refused
                AttemptResult.Failed failed = AttemptResult.of(notSent.getCause());
                return failed.kind() == AttemptResult.Kind.TLS ? failed
                        : new AttemptResult.Failed(AttemptResult.Kind.CONNECT, null);
            }
            return AttemptResult.of(e.getCause() == null ? e : e.getCause());
        } catch (InterruptedException e) {
            reset(sent.get());
            throw e;
        }
        int status = answered.status();
        if (readAnswer && status >= 200 && status < 300) {
            Optional<String> failure = answered.body() == null
                    ? Optional.of("its answer is longer than " + MAX_ANSWER_BYTES / 1024 + " KiB")
                    : SuccessCheck.failure(request.success(), answered.body());
            if (failure.isPresent()) {
                return new AttemptResult.Unsuccessful(status, failure.get());
            }
        }
        return new AttemptResult.Answered(status, RetryAfter.parse(answered.retryAfter(), Instant.now()).orElse(null));
    }

    /** What came back: the status, {@code Retry-After}, and the body when it was read (null when too long). */
    private record Answer(int status, String retryAfter, byte[] body) {
    }

    /** Reads the answer to its end, keeping at most {@link #MAX_ANSWER_BYTES} of it when it is wanted. */
    private static void read(HttpClientResponse response, boolean keep, CompletableFuture<Answer> answer) {
        Buffer body = Buffer.buffer();
        boolean[] tooLong = {false};
        response.handler(chunk -> {
            if (keep && !tooLong[0]) {
                if (body.length() + chunk.length() > MAX_ANSWER_BYTES) {
                    tooLong[0] = true;
                } else {
                    body.appendBuffer(chunk);
                }
            }
        });
        response.exceptionHandler(answer::completeExceptionally);
        response.endHandler(end -> answer.complete(new Answer(response.statusCode(),
                response.getHeader("Retry-After"), keep && !tooLong[0] ? body.getBytes() : null)));
    }

    private static void reset(HttpClientRequest request) {
        if (request != null) {
            request.reset();
        }
    }

    private HttpClient http() {
        HttpClient client = http;
        if (client == null) {
            synchronized (this) {
                if (http == null) {
                    http = vertx.createHttpClient(new HttpClientOptions()
                            .setVerifyHost(true)
                            .setForceSni(true)
                            .setMaxPoolSize(maxConnectionsPerHost)
                            // an idle connection is closed by us before the target closes it (Node.js servers after 5 s):
                            // a call sent on a connection the target is closing meanwhile breaks with its outcome unknown
                            .setKeepAliveTimeout(KEEP_ALIVE_SECONDS)
                            .setConnectTimeout((int) attemptTimeout.dividedBy(2).toMillis()));
                }
                client = http;
            }
        }
        return client;
    }

    private Prepared prepare(HttpTargetRequest target) {
        URI uri = target.uri();
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new InvalidRequestException("target url must be an absolute http or https URL with a host");
        }
        if (target.success() != null) {
            try {
                SuccessCheck.pointer(target.success());
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage());
            }
        }
        Map<String, String> headers = new LinkedHashMap<>();
        boolean contentType = false;
        boolean idempotencyKey = false;
        for (Map.Entry<String, String> header : target.headers().entrySet()) {
            String name = header.getKey();
            if (name == null || !TOKEN.matcher(name).matches() || RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))
                    || !validValue(header.getValue())) {
                throw new InvalidRequestException("target header " + name
                        + " cannot be sent: invalid name or value, or one the HTTP client sets itself");
            }
            headers.put(name, header.getValue());
            contentType |= name.equalsIgnoreCase("Content-Type");
            idempotencyKey |= name.equalsIgnoreCase("Idempotency-Key");
        }
        if (target.body() != null && !contentType) {
            headers.put("Content-Type", "application/json");
        }
        if (target.idempotencyKey() != null && !idempotencyKey) {
            headers.put("Idempotency-Key", target.idempotencyKey());
        }
        String method = target.method() == null || target.method().isBlank()
                ? "POST" : target.method().trim().toUpperCase(Locale.ROOT);
        if (!TOKEN.matcher(method).matches()) {
            throw new InvalidRequestException("target method " + method + " is not a valid HTTP method");
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1)
                : uri.getHost();
        return new Prepared(HttpMethod.valueOf(method), host, port(uri), scheme.equals("https"),
                uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery(), headers, target.body(),
                target.success());
    }

    /** A header value the client can send as it is: no line breaks or other control characters. */
    private static boolean validValue(String value) {
        if (value == null) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
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

    /** No connection could be had for the request: it was never sent. */
    private static final class NotSentException extends RuntimeException {
        NotSentException(Throwable cause) {
            super(cause);
        }
    }

    /** The target's configuration cannot make a valid request; retrying would not help. */
    private static final class InvalidRequestException extends RuntimeException {
        InvalidRequestException(String message) {
            super(message);
        }
    }
}
