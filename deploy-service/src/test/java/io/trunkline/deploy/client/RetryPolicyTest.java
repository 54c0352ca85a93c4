package io.trunkline.deploy.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trunkline.deploy.client.AttemptResult.Kind;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What is called again, how soon, and until when. */
class RetryPolicyTest {

    private static final Duration BUDGET = Duration.ofMinutes(10);
    private static final AttemptResult SERVER_ERROR = new AttemptResult.Answered(500);
    private static final AttemptResult TIMED_OUT = new AttemptResult.Failed(Kind.TIMEOUT, null);
    private static final AttemptResult BROKEN = new AttemptResult.Failed(Kind.BROKEN, "reset");
    private static final AttemptResult REFUSED_CONNECTION = new AttemptResult.Failed(Kind.CONNECT, null);

    /** Jitter fixed at the top of its range: waits are the plain exponential backoff. */
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 1.0);

    @Test
    void failuresThatDeployedNothingAreRetriedForIdempotentAndOtherTargetsAlike() {
        for (boolean idempotent : new boolean[] {false, true}) {
            assertThat(policy.retryAfter(SERVER_ERROR, 1, Duration.ZERO, idempotent, BUDGET)).isPresent();
            assertThat(policy.retryAfter(new AttemptResult.Answered(429), 1, Duration.ZERO, idempotent, BUDGET)).isPresent();
            assertThat(policy.retryAfter(REFUSED_CONNECTION, 1, Duration.ZERO, idempotent, BUDGET)).isPresent();
        }
    }

    @Test
    void anUnknownOutcomeIsRepeatedOnlyForAnIdempotentTarget() {
        assertThat(policy.retryAfter(TIMED_OUT, 1, Duration.ZERO, false, BUDGET)).isEmpty();
        assertThat(policy.retryAfter(BROKEN, 1, Duration.ZERO, false, BUDGET)).isEmpty();
        assertThat(policy.retryAfter(TIMED_OUT, 1, Duration.ZERO, true, BUDGET)).isPresent();
        assertThat(policy.retryAfter(BROKEN, 1, Duration.ZERO, true, BUDGET)).isPresent();
        assertThat(RetryPolicy.mayRepeat(AttemptResult.Verdict.OUTCOME_UNKNOWN, false)).isFalse();
        assertThat(RetryPolicy.mayRepeat(AttemptResult.Verdict.OUTCOME_UNKNOWN, true)).isTrue();
    }

    @Test
    void successesAndRefusalsAreNeverRepeated() {
        for (boolean idempotent : new boolean[] {false, true}) {
            assertThat(policy.retryAfter(new AttemptResult.Answered(200), 1, Duration.ZERO, idempotent, BUDGET)).isEmpty();
            assertThat(policy.retryAfter(new AttemptResult.Answered(404), 1, Duration.ZERO, idempotent, BUDGET)).isEmpty();
            assertThat(policy.retryAfter(new AttemptResult.Failed(Kind.TLS, null), 1, Duration.ZERO, idempotent, BUDGET))
                    .isEmpty();
        }
    }

    @Test
    void noAttemptStartsOnceTheBudgetIsSpent() {
        // 500 ms wait after the first attempt
        assertThat(policy.retryAfter(SERVER_ERROR, 1, Duration.ofMillis(9_400), false, Duration.ofSeconds(10)))
                .contains(Duration.ofMillis(500));
        assertThat(policy.retryAfter(SERVER_ERROR, 1, Duration.ofMillis(9_500), false, Duration.ofSeconds(10))).isEmpty();
        assertThat(policy.retryAfter(SERVER_ERROR, 40, Duration.ofMinutes(9), false, BUDGET)).contains(Duration.ofSeconds(30));
        assertThat(policy.retryAfter(SERVER_ERROR, 41, Duration.ofSeconds(9 * 60 + 31), false, BUDGET)).isEmpty();
        assertThat(policy.retryAfter(SERVER_ERROR, 1, Duration.ZERO, false, Duration.ZERO)).isEmpty();
    }

    @Test
    void aRetryAfterLongerThanTheBackoffIsWaitedOutAndOnePastTheBudgetEndsTheRetries() {
        AttemptResult busy = new AttemptResult.Answered(429, Duration.ofSeconds(20));
        AttemptResult busyBriefly = new AttemptResult.Answered(503, Duration.ofMillis(100));

        assertThat(policy.retryAfter(busy, 1, Duration.ZERO, false, BUDGET)).contains(Duration.ofSeconds(20));
        assertThat(policy.retryAfter(busyBriefly, 3, Duration.ZERO, false, BUDGET)).contains(Duration.ofSeconds(2));
        assertThat(policy.retryAfter(busy, 1, Duration.ofSeconds(590), false, BUDGET)).isEmpty();
        assertThat(policy.retryAfter(new AttemptResult.Answered(400, Duration.ofSeconds(1)), 1, Duration.ZERO, false,
                BUDGET)).isEmpty();
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
    void jitterSpreadsEachWaitOverTheUpperHalfAndNeverPastTheCap() {
        RetryPolicy lowest = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.0);
        RetryPolicy middle = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0.5);

        assertThat(lowest.backoffAfter(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(middle.backoffAfter(1)).isEqualTo(Duration.ofMillis(375));
        assertThat(lowest.backoffAfter(1000)).isEqualTo(Duration.ofSeconds(15));
        RetryPolicy random = new RetryPolicy(Duration.ofMillis(500), Duration.ofSeconds(30), Math::random);
        for (int attempt = 1; attempt < 100; attempt++) {
            assertThat(random.backoffAfter(attempt)).isBetween(random.ceilingAfter(attempt).dividedBy(2),
                    random.ceilingAfter(attempt)).isLessThanOrEqualTo(Duration.ofSeconds(30));
        }
    }

    @Test
    void negativeBackoffsAreRejected() {
        assertThatThrownBy(() -> new RetryPolicy(Duration.ofMillis(-1), Duration.ZERO, () -> 0.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("trunkline.deploy");
    }
}
