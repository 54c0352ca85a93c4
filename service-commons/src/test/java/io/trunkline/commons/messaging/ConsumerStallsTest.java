package io.trunkline.commons.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A consumer retrying several records at once (in lanes) stays stalled until the last of them goes through. */
class ConsumerStallsTest {

    private final ConsumerStalls stalls = new ConsumerStalls();

    @Test
    void stalledUntilEveryRetriedRunEnds() {
        stalls.stalled("scm-events", "connection refused", true);
        stalls.stalled("scm-events", "connection refused", true);
        stalls.stalled("scm-events", "still refused", false);

        assertThat(stalls.current().get("scm-events").runs()).isEqualTo(2);
        assertThat(stalls.current().get("scm-events").reason()).isEqualTo("still refused");

        stalls.cleared("scm-events");
        assertThat(stalls.current()).containsKey("scm-events");

        stalls.cleared("scm-events");
        assertThat(stalls.current()).doesNotContainKey("scm-events");
    }

    @Test
    void theStartIsTheFirstFailureOfTheFirstRun() {
        stalls.stalled("deploy-requests", "timeout", true);
        var since = stalls.current().get("deploy-requests").since();

        stalls.stalled("deploy-requests", "timeout", true);
        stalls.cleared("deploy-requests");

        assertThat(stalls.current().get("deploy-requests").since()).isEqualTo(since);
    }

    @Test
    void clearingAConsumerThatIsNotStalledChangesNothing() {
        stalls.cleared("status");
        stalls.stalled("other", "x", true);
        stalls.cleared("status");

        assertThat(stalls.current()).containsOnlyKeys("other");
    }
}
