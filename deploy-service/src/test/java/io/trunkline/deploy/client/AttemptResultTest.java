package io.trunkline.deploy.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.deploy.client.AttemptResult.Kind;
import io.trunkline.deploy.client.AttemptResult.Verdict;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What one call's result says: deployed, deployed nothing (safe to call again), unknown, or refused for good. */
class AttemptResultTest {

    @ParameterizedTest
    @ValueSource(ints = {200, 201, 202, 204})
    void twoHundredsDeployed(int status) {
        assertThat(new AttemptResult.Answered(status).verdict()).isEqualTo(Verdict.SUCCEEDED);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 429})
    void serverErrorsAndTooManyRequestsDeployedNothing(int status) {
        assertThat(new AttemptResult.Answered(status).verdict()).isEqualTo(Verdict.NOT_DEPLOYED);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 409, 422, 301, 302})
    void otherClientErrorsAndRedirectsAreRefusals(int status) {
        assertThat(new AttemptResult.Answered(status).verdict()).isEqualTo(Verdict.REFUSED);
    }

    @Test
    void aRequestThatNeverLeftDeployedNothing() {
        assertThat(AttemptResult.of(new ConnectException("Connection refused")).kind()).isEqualTo(Kind.CONNECT);
        assertThat(AttemptResult.of(new UnknownHostException("deploy.example.com")).kind()).isEqualTo(Kind.CONNECT);
        assertThat(AttemptResult.of(new UnresolvedAddressException()).kind()).isEqualTo(Kind.CONNECT);
        // a connect timeout is an HttpTimeoutException too, but the request was never sent
        assertThat(AttemptResult.of(new HttpConnectTimeoutException("connect timed out")).kind()).isEqualTo(Kind.CONNECT);
        assertThat(AttemptResult.of(new ConnectException("x")).verdict()).isEqualTo(Verdict.NOT_DEPLOYED);
    }

    @Test
    void noAnswerInTimeIsAnUnknownOutcome() {
        assertThat(AttemptResult.of(new HttpTimeoutException("request timed out")).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(AttemptResult.of(new TimeoutException()).kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(AttemptResult.of(new TimeoutException()).verdict()).isEqualTo(Verdict.OUTCOME_UNKNOWN);
    }

    @Test
    void aConnectionBrokenMidCallIsAnUnknownOutcome() {
        AttemptResult.Failed broken = AttemptResult.of(new IOException("HTTP/1.1 header parser received no bytes"));

        assertThat(broken.kind()).isEqualTo(Kind.BROKEN);
        assertThat(broken.verdict()).isEqualTo(Verdict.OUTCOME_UNKNOWN);
        assertThat(broken.detail()).isEqualTo("HTTP/1.1 header parser received no bytes");
    }

    @Test
    void tlsFailuresAreRefusals() {
        assertThat(AttemptResult.of(new SSLHandshakeException("PKIX path building failed")).verdict())
                .isEqualTo(Verdict.REFUSED);
    }

    @Test
    void wrappedCausesAreClassifiedByTheCause() {
        assertThat(AttemptResult.of(new CompletionException(new IOException("wrapped", new ConnectException()))).kind())
                .isEqualTo(Kind.CONNECT);
        assertThat(AttemptResult.of(new CompletionException(new HttpTimeoutException("slow"))).kind())
                .isEqualTo(Kind.TIMEOUT);
    }
}
