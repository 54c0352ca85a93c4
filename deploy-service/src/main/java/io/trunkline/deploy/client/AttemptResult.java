package io.trunkline.deploy.client;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** What one call to a target came to. */
public sealed interface AttemptResult {

    /** What this result says about the deployment. */
    Verdict verdict();

    /** Whether a request was sent (or its connection attempted): what the attempts in a reason count. */
    boolean isCall();

    /** What a call's result says about the deployment, and so whether it may be called again. */
    enum Verdict {
        /** The target deployed. */
        SUCCEEDED,
        /**
         * Nothing was deployed, for now: the request never reached the target (connection refused,
         * host not resolved, circuit open) or the target said it failed (5xx, 429). Calling again is safe.
         */
        NOT_DEPLOYED,
        /**
         * The request may or may not have been carried out (no answer in time, connection broken
         * mid-call): only a target declared idempotent may be called again.
         */
        OUTCOME_UNKNOWN,
        /** The target refused, or cannot be called this way: another call would end the same. */
        REFUSED
    }

    /**
     * The target answered with an HTTP status.
     *
     * @param retryAfter how long the target asked to be left alone ({@code Retry-After}); null when it did not say
     */
    record Answered(int status, Duration retryAfter) implements AttemptResult {

        public Answered(int status) {
            this(status, null);
        }

        /** 2xx deployed; 5xx and 429 are the target failing for now; any other 4xx or a redirect will answer the same. */
        @Override
        public Verdict verdict() {
            if (status >= 200 && status < 300) {
                return Verdict.SUCCEEDED;
            }
            return status >= 500 || status == 429 ? Verdict.NOT_DEPLOYED : Verdict.REFUSED;
        }

        @Override
        public boolean isCall() {
            return true;
        }
    }

    /**
     * The target answered 2xx, but its answer says the deployment failed (a target's own success
     * condition, as Appsmith's {@code responseMeta.success}).
     *
     * @param detail what the answer said instead, safe to publish: never a value taken from the answer but a scalar
     */
    record Unsuccessful(int status, String detail) implements AttemptResult {

        @Override
        public Verdict verdict() {
            return Verdict.REFUSED;
        }

        @Override
        public boolean isCall() {
            return true;
        }
    }

    /**
     * The target refused the credential (401) and the credential was renewed (a new OAuth2 token):
     * nothing was deployed, and one more call with the new credential is worth making.
     */
    record CredentialRefused(int status) implements AttemptResult {

        @Override
        public Verdict verdict() {
            return Verdict.NOT_DEPLOYED;
        }

        @Override
        public boolean isCall() {
            return true;
        }
    }

    /** No answer came back, or no request was made. */
    record Failed(Kind kind, String detail) implements AttemptResult {

        @Override
        public Verdict verdict() {
            return kind.verdict;
        }

        @Override
        public boolean isCall() {
            return kind != Kind.CIRCUIT_OPEN && kind != Kind.BLOCKED && kind != Kind.CREDENTIAL;
        }
    }

    enum Kind {
        /** The connection could not be opened, or the host not resolved: the request was never sent. */
        CONNECT(Verdict.NOT_DEPLOYED),
        /** The request was sent and no answer came within the attempt timeout. */
        TIMEOUT(Verdict.OUTCOME_UNKNOWN),
        /** The connection broke after the request was sent, before the answer was complete. */
        BROKEN(Verdict.OUTCOME_UNKNOWN),
        /** The TLS handshake failed, before anything was sent: a certificate problem does not fix itself. */
        TLS(Verdict.REFUSED),
        /** The target host failed too often lately: its circuit breaker is open and no request was made. */
        CIRCUIT_OPEN(Verdict.NOT_DEPLOYED),
        /** The request may not be made at all (the address guard refused it); the detail says why. */
        BLOCKED(Verdict.REFUSED),
        /** No secret could be had for the credential now (its token endpoint failed); the detail says which. */
        CREDENTIAL(Verdict.NOT_DEPLOYED);

        private final Verdict verdict;

        Kind(Verdict verdict) {
            this.verdict = verdict;
        }
    }

    /** Classifies what a call threw, looking through wrapping exceptions to the cause. */
    static Failed of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            // a connect timeout is an HttpTimeoutException too, but nothing was sent
            if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException
                    || t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return new Failed(Kind.CONNECT, null);
            }
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
                return new Failed(Kind.TIMEOUT, null);
            }
            if (t instanceof SSLException) {
                return new Failed(Kind.TLS, null);
            }
        }
        return new Failed(Kind.BROKEN, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }
}
