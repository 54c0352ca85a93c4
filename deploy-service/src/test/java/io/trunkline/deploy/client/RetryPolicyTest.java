package io.trunkline.deploy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(3, Duration.ofMillis(500), Duration.ofSeconds(30));

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 429})
    void serverErrorsAndTooManyRequestsAreTransient(int status) {
        assertThat(new AttemptResult.Answered(status).transientFailure()).isTrue();
        assertThat(policy.shouldRetry(new AttemptResult.Answered(status), 1)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 422, 301, 302})
    void otherClientErrorsAndRedirectsAreNotRetried(int status) {
        assertThat(new AttemptResult.Answered(status).transientFailure()).isFalse();
        assertThat(policy.shouldRetry(new AttemptResult.Answered(status), 1)).isFalse();
    }

    @Test
    void successIsNeverRetried() {
        assertThat(new AttemptResult.Answered(204).succeeded()).isTrue();
        assertThat(policy.shouldRetry(new AttemptResult.Answered(200), 1)).isFalse();
    }

    @Test
    void connectErrorsAndTimeoutsAreTransient() {
        assertThat(AttemptResult.of(new ConnectException("Connection refused")).kind()).isEqualTo(AttemptResult.Kind.CONNECT);
        assertThat(AttemptResult.of(new UnknownHostException("x")).kind()).isEqualTo(AttemptResult.Kind.CONNECT);
        assertThat(AttemptResult.of(new HttpConnectTimeoutException("slow")).kind()).isEqualTo(AttemptResult.Kind.TIMEOUT);
        assertThat(AttemptResult.of(new HttpTimeoutException("slow")).kind()).isEqualTo(AttemptResult.Kind.TIMEOUT);
        assertThat(AttemptResult.of(new TimeoutException()).kind()).isEqualTo(AttemptResult.Kind.TIMEOUT);
        assertThat(AttemptResult.of(new ConnectException("x")).transientFailure()).isTrue();
        assertThat(AttemptResult.of(new TimeoutException()).transientFailure()).isTrue();
    }

    @Test
    void wrappedCausesAreClassifiedByTheCause() {
        assertThat(AttemptResult.of(new CompletionException(new IOException("wrapped", new ConnectException()))).kind())
                .isEqualTo(AttemptResult.Kind.CONNECT);
    }

    @Test
    void brokenConnectionsAreTransientButTlsFailuresAreNot() {
        AttemptResult.Failed broken = AttemptResult.of(new IOException("HTTP/1.1 header parser received no bytes"));
        assertThat(broken.kind()).isEqualTo(AttemptResult.Kind.IO);
        assertThat(broken.transientFailure()).isTrue();
        assertThat(AttemptResult.of(new SSLHandshakeException("PKIX path building failed")).transientFailure()).isFalse();
    }

    @Test
    void attemptsAreBounded() {
        AttemptResult serverError = new AttemptResult.Answered(503);

        assertThat(policy.shouldRetry(serverError, 1)).isTrue();
        assertThat(policy.shouldRetry(serverError, 2)).isTrue();
        assertThat(policy.shouldRetry(serverError, 3)).isFalse();
        assertThat(new RetryPolicy(1, Duration.ZERO, Duration.ZERO).shouldRetry(serverError, 1)).isFalse();
    }

    @Test
    void backoffDoublesUpToTheCap() {
        assertThat(policy.backoffAfter(1)).isEqualTo(Duration.ofMillis(500));
        assertThat(policy.backoffAfter(2)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.backoffAfter(3)).isEqualTo(Duration.ofSeconds(2));
        assertThat(policy.backoffAfter(7)).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.backoffAfter(1000)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void atLeastOneAttempt() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trunkline.deploy.attempts");
    }
}
