package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SourceRateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void aBurstThenTheRateWithTheWaitInWholeSeconds() {
        SourceRateLimiter limiter = new SourceRateLimiter(2, 4, 100, now::get);
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        assertThat(limiter.acquire("a")).isEqualTo(1);
        assertThat(limiter.acquire("b")).isZero(); // per source
        now.addAndGet(500_000_000L); // half a second: one token at 2/s
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(1);
        now.addAndGet(60_000_000_000L); // a long pause refills no more than the burst
        for (int i = 0; i < 4; i++) {
            assertThat(limiter.acquire("a")).isZero();
        }
        assertThat(limiter.acquire("a")).isPositive();
    }

    @Test
    void aSlowRateAsksForALongerWait() {
        SourceRateLimiter limiter = new SourceRateLimiter(0.1, 1, 100, now::get);
        assertThat(limiter.acquire("a")).isZero();
        assertThat(limiter.acquire("a")).isEqualTo(10);
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlySeenSource() {
        SourceRateLimiter limiter = new SourceRateLimiter(1, 1, 3, now::get);
        assertThat(limiter.acquire("a")).isZero();
        for (int i = 0; i < 1000; i++) {
            limiter.acquire("source-" + i);
        }
        assertThat(limiter.sources()).isEqualTo(3);
        assertThat(limiter.acquire("a")).isZero(); // forgotten: a full bucket again
    }

    @Test
    void settingsMustMakeSense() {
        assertThatThrownBy(() -> new SourceRateLimiter(0, 1, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SourceRateLimiter(1, 0, 1, now::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
