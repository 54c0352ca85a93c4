package io.trunkline.deploy.client;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** What one call to a target came to. */
public sealed interface AttemptResult {

    /** Whether another attempt may succeed where this one failed. */
    boolean transientFailure();

    /** The target answered; 2xx is a success. */
    record Answered(int status) implements AttemptResult {

        public boolean succeeded() {
            return status >= 200 && status < 300;
        }

        /** 5xx and 429 are worth another attempt; any other 4xx or a redirect will answer the same. */
        @Override
        public boolean transientFailure() {
            return status >= 500 || status == 429;
        }
    }

    /** No answer came back. */
    record Failed(Kind kind, String detail) implements AttemptResult {

        @Override
        public boolean transientFailure() {
            return kind.transientFailure;
        }
    }

    enum Kind {
        /** The connection could not be opened, or the host not resolved. */
        CONNECT(true),
        /** No answer within the attempt timeout. */
        TIMEOUT(true),
        /** The connection broke before the answer was complete. */
        IO(true),
        /** The TLS handshake failed: a certificate problem does not fix itself. */
        TLS(false);

        private final boolean transientFailure;

        Kind(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }
    }

    /** Classifies what a call threw, looking through wrapping exceptions to the cause. */
    static Failed of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpTimeoutException || t instanceof TimeoutException) {
                return new Failed(Kind.TIMEOUT, null);
            }
            if (t instanceof ConnectException || t instanceof UnknownHostException
                    || t instanceof UnresolvedAddressException) {
                return new Failed(Kind.CONNECT, null);
            }
            if (t instanceof SSLException) {
                return new Failed(Kind.TLS, null);
            }
        }
        return new Failed(Kind.IO, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }
}
