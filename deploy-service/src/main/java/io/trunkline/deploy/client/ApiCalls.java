package io.trunkline.deploy.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * Calls of a REST API that deploys (Bitbucket Pipelines, Pulumi Deployments) through its Quarkus REST
 * client: the credential's current secret on each call, a {@code 401} to an OAuth2 token renewing it
 * once, {@code 429}/{@code 5xx}/no connection retried as {@link CallRetries} decides. The answer's body is
 * kept for the caller to read the run it started or the API's error message; it is never logged.
 */
@ApplicationScoped
public class ApiCalls {

    private final CallRetries retries;

    public ApiCalls(CallRetries retries) {
        this.retries = retries;
    }

    /**
     * What the API answered last.
     *
     * @param body the answer's body, null when there was none
     */
    public record Answer(int status, String body) {

        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /**
     * How a call ended.
     *
     * @param answer the last answer, null when no call was answered
     */
    public record Result(CallRetries.Result calls, Answer answer) {

        public boolean ok() {
            return answer != null && answer.ok();
        }
    }

    /**
     * Calls until the API answers for good or the rules end the retries.
     *
     * @param host the API's host: its circuit breaker
     * @param call makes the request with the credential's secret (null without credential)
     */
    public Result call(String host, String subject, CallRules rules, TargetCredential credential,
            Function<String, Response> call) {
        AtomicReference<Answer> answer = new AtomicReference<>();
        boolean[] renewed = {false};
        CallRetries.Result calls = retries.call(host, subject, rules, () -> attempt(credential, call, answer, renewed));
        return new Result(calls, answer.get());
    }

    /** One call, not repeated: for polls, which are made again at the next poll anyway. */
    public AttemptResult once(TargetCredential credential, Function<String, Response> call, AtomicReference<Answer> answer) {
        return attempt(credential, call, answer, new boolean[] {false});
    }

    private static AttemptResult attempt(TargetCredential credential, Function<String, Response> call,
            AtomicReference<Answer> answer, boolean[] renewed) {
        String secret = null;
        if (credential != null) {
            try {
                secret = credential.secret();
            } catch (CredentialUnavailableException e) {
                return new AttemptResult.Failed(AttemptResult.Kind.CREDENTIAL, e.getMessage());
            }
        }
        Response answered;
        try {
            answered = call.apply(secret);
        } catch (WebApplicationException e) {
            answered = e.getResponse();
        } catch (ProcessingException e) {
            if (Thread.currentThread().isInterrupted()) {
                throw new CallInterruptedException("deploy-service is stopping during a call; its answer is unknown");
            }
            return AttemptResult.of(e);
        }
        try (Response response = answered) {
            int status = response.getStatus();
            answer.set(new Answer(status, body(response)));
            if (status == 401 && secret != null && !renewed[0] && credential.renew(secret)) {
                renewed[0] = true;
                return new AttemptResult.CredentialRefused(status);
            }
            return new AttemptResult.Answered(status, RetryAfter.parse(response.getHeaderString("Retry-After"),
                    Instant.now()).orElse(null));
        }
    }

    private static String body(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Why a call that did not end in a {@code 2xx} failed, for the deployment's reason.
     *
     * @param api names the API, e.g. "Bitbucket"
     * @param message the API's own error message, or null
     */
    public static String failure(String api, Result result, String message, Instant notAfter) {
        CallRetries.Result calls = result.calls();
        AttemptResult last = calls.last();
        String described = describe(api, last, message) + suffix(last, calls.calls());
        return switch (calls.ending()) {
            case SETTLED, BUDGET_SPENT -> described;
            case OUTCOME_UNKNOWN -> "outcome unknown: " + (last instanceof AttemptResult.Failed failed
                    && failed.kind() == AttemptResult.Kind.TIMEOUT
                    ? api + " did not answer in time" : "the connection to " + api + " broke before it answered");
            case NOT_AFTER -> described + "; no attempt after " + notAfter + ", when promotion-service gives up";
            case LEASE_LOST -> described + "; no further attempt: this instance could not renew its lease on the run";
        };
    }

    /** What one attempt came to, for a reason or a log line. */
    public static String describe(String api, AttemptResult result, String message) {
        if (result instanceof AttemptResult.Answered answered) {
            return api + " answered " + answered.status() + (message == null || message.isBlank() ? "" : ": " + message);
        }
        if (result instanceof AttemptResult.CredentialRefused refused) {
            return api + " answered " + refused.status() + " to a credential just renewed";
        }
        if (result instanceof AttemptResult.Unsuccessful unsuccessful) {
            return api + " answered " + unsuccessful.status() + ": " + unsuccessful.detail();
        }
        AttemptResult.Failed failed = (AttemptResult.Failed) result;
        return switch (failed.kind()) {
            case CONNECT -> "could not connect to " + api;
            case TIMEOUT -> api + " did not answer in time";
            case BROKEN -> "the connection to " + api + " broke before it answered";
            case TLS -> "TLS handshake with " + api + " failed";
            case CIRCUIT_OPEN -> "calls to " + api + " are paused after too many recent failures (circuit breaker open)";
            case BLOCKED, CREDENTIAL -> failed.detail();
        };
    }

    private static String suffix(AttemptResult result, int calls) {
        if (calls <= 1) {
            return "";
        }
        return result instanceof AttemptResult.Failed ? " (" + calls + " attempts)" : " after " + calls + " attempts";
    }
}
