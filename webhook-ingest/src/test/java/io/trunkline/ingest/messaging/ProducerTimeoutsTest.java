package io.trunkline.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProducerTimeoutsTest {

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    @Test
    void theProducerMustGiveUpBeforeTheDeliveryIsAnswered() {
        assertThatCode(() -> ProducerTimeouts.check(ms(5000), ms(500), ms(2000), ms(1500), ms(0)))
                .doesNotThrowAnyException();
        // a record re-sent by the connector just before its first delivery timeout has one of its own
        assertThatThrownBy(() -> ProducerTimeouts.check(ms(5000), ms(1000), ms(3000), ms(2500), ms(0)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("max.block.ms (1000) + 2 x delivery.timeout.ms (3000)");
        // the Kafka defaults (60 s, 120 s) would answer 503 for records written minutes later
        assertThatThrownBy(() -> ProducerTimeouts.check(ms(5000), ms(60_000), ms(120_000), ms(30_000), ms(5)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestTimeoutAndLingerMustFitTheDeliveryTimeout() {
        assertThatThrownBy(() -> ProducerTimeouts.check(ms(9000), ms(500), ms(2000), ms(2000), ms(5)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("request.timeout.ms (2000) + linger.ms (5)");
    }
}
