package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.promotion.service.SoakRule.Run;
import io.trunkline.promotion.service.SoakRule.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SoakRuleTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final Duration SOAK = Duration.ofMinutes(30);

    private static Run run(String commit, int minutes) {
        return new Run(commit, T0.plus(Duration.ofMinutes(minutes)));
    }

    private static Verdict judge(List<Run> runs, int nowMinutes) {
        return SoakRule.judge(runs, A, SOAK, "staging", T0.plus(Duration.ofMinutes(nowMinutes)));
    }

    @Test
    void aCommitStillRunningWaitsUntilItsSoakEnds() {
        assertThat(judge(List.of(run(A, 0)), 10)).isEqualTo(new Verdict(T0.plus(SOAK), null));
        assertThat(judge(List.of(run(A, 0)), 30).soaked()).isTrue();
    }

    @Test
    void aCommitThatRanLongEnoughBeforeBeingReplacedIsSoaked() {
        assertThat(judge(List.of(run(A, 0), run(B, 45)), 50).soaked()).isTrue();
    }

    @Test
    void aCommitReplacedTooSoonNeverSoaks() {
        Verdict verdict = judge(List.of(run(A, 0), run(B, 12)), 60);
        assertThat(verdict.soaked()).isFalse();
        assertThat(verdict.tooShort()).isEqualTo("staging ran commit aaaaaaaaaaaa for only 12m of the 30m soak "
                + "before another commit replaced it");
    }

    @Test
    void aRedeployOfTheSameCommitDoesNotEndItsRunAndALaterRunCounts() {
        // A deployed again at 10 keeps running from 0 until B at 40
        assertThat(judge(List.of(run(A, 0), run(A, 10), run(B, 40)), 50).soaked()).isTrue();
        // A ran 5 minutes, then B, then A again from 20: it soaks until 50
        assertThat(judge(List.of(run(A, 0), run(B, 5), run(A, 20)), 30))
                .isEqualTo(new Verdict(T0.plus(Duration.ofMinutes(50)), null));
    }

    @Test
    void aCommitThatNeverRanThereNeverSoaks() {
        assertThat(judge(List.of(run(B, 0)), 60).tooShort()).contains("for no time");
    }
}
