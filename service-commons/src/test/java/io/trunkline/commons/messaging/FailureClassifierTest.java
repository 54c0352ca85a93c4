package io.trunkline.commons.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.EventCodec;
import java.net.ConnectException;
import java.sql.SQLException;
import java.util.concurrent.CompletionException;
import org.apache.kafka.common.errors.NotLeaderOrFollowerException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    @Test
    void recordsThatCanNeverBeProcessedArePoison() {
        assertThat(FailureClassifier.classify(new PoisonRecordException("unknown event type x")))
                .isEqualTo(FailureClassifier.Kind.POISON);
        assertThat(FailureClassifier.classify(malformedEvent())).isEqualTo(FailureClassifier.Kind.POISON);
        assertThat(FailureClassifier.classify(new IllegalStateException("handler",
                new PoisonRecordException("invalid by contract")))).isEqualTo(FailureClassifier.Kind.POISON);
    }

    @Test
    void databaseUnavailableIsAnOutageWhereverItIsWrapped() {
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");
        SQLException terminated = new SQLException("terminating connection due to administrator command", "57P01");
        SQLException poolTimeout = new SQLException("Acquisition timeout while waiting for new connection");

        assertThat(FailureClassifier.classify(new DatabaseFailure("could not prepare statement", refused)))
                .isEqualTo(FailureClassifier.Kind.OUTAGE);
        assertThat(FailureClassifier.classify(new RuntimeException(new DatabaseFailure("claim", terminated))))
                .isEqualTo(FailureClassifier.Kind.OUTAGE);
        assertThat(FailureClassifier.classify(poolTimeout)).isEqualTo(FailureClassifier.Kind.OUTAGE);
        assertThat(FailureClassifier.classify(new SQLException("could not serialize access", "40001")))
                .isEqualTo(FailureClassifier.Kind.OUTAGE);
        assertThat(FailureClassifier.classify(new DatabaseFailure("Unable to acquire JDBC Connection",
                new SQLException("database \"x\" is not currently accepting connections", "55000"))))
                .isEqualTo(FailureClassifier.Kind.OUTAGE);
    }

    @Test
    void brokerAndNetworkFailuresAreOutages() {
        assertThat(FailureClassifier.classify(new CompletionException(new TimeoutException("expired"))))
                .isEqualTo(FailureClassifier.Kind.OUTAGE);
        assertThat(FailureClassifier.classify(new NotLeaderOrFollowerException("moved")))
                .isEqualTo(FailureClassifier.Kind.OUTAGE);
        assertThat(FailureClassifier.classify(new RuntimeException(new ConnectException("refused"))))
                .isEqualTo(FailureClassifier.Kind.OUTAGE);
        assertThat(FailureClassifier.classify(new DownstreamUnavailable())).isEqualTo(FailureClassifier.Kind.OUTAGE);
    }

    @Test
    void anythingElseIsUnexpectedAndStillRetriedRatherThanThrownAway() {
        assertThat(FailureClassifier.classify(new NullPointerException())).isEqualTo(FailureClassifier.Kind.UNEXPECTED);
        assertThat(FailureClassifier.classify(new SQLException("duplicate key", "23505")))
                .isEqualTo(FailureClassifier.Kind.UNEXPECTED);
    }

    @Test
    void reasonNamesTheInnermostFailureOnOneBoundedLine() {
        String reason = RetryUntilDone.reasonOf(new RuntimeException("outer",
                new SQLException("Connection refused.\nCheck that the hostname is correct", "08001")));

        assertThat(reason).isEqualTo("SQLException: Connection refused. Check that the hostname is correct");
        assertThat(RetryUntilDone.reasonOf(new RuntimeException("x".repeat(1000)))).hasSizeLessThan(310);
    }

    @Test
    void poisonReasonIsThePoisonFailuresOwnMessage() {
        assertThat(EventProcessing.poisonReason(new IllegalStateException("wrapper",
                new PoisonRecordException("unknown event type io.trunkline.x", new IllegalArgumentException("inner")))))
                .isEqualTo("unknown event type io.trunkline.x");
    }

    private static RuntimeException malformedEvent() {
        try {
            EventCodec.decode("io.trunkline.scm.refs-pushed", "{\"changes\": 42");
        } catch (EventCodec.MalformedEventException e) {
            return e;
        }
        throw new AssertionError("the codec accepted a malformed event");
    }

    private static final class DownstreamUnavailable extends RuntimeException implements TransientFailure {
    }
}
