package io.trunkline.status.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(2), Duration.ofMinutes(5), Duration.ofMillis(500));

    @Test
    void waitDoublesWithEachFailure() {
        assertThat(backoff.after(1, bound -> 0)).isEqualTo(Duration.ofSeconds(2));
        assertThat(backoff.after(2, bound -> 0)).isEqualTo(Duration.ofSeconds(4));
        assertThat(backoff.after(3, bound -> 0)).isEqualTo(Duration.ofSeconds(8));
        assertThat(backoff.after(7, bound -> 0)).isEqualTo(Duration.ofSeconds(128));
    }

    @Test
    void waitStopsGrowingAtTheMaximum() {
        assertThat(backoff.after(8, bound -> 0)).isEqualTo(Duration.ofSeconds(256));
        assertThat(backoff.after(9, bound -> 0)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.after(1_000, bound -> 0)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void jitterIsAddedWithinItsBound() {
        assertThat(backoff.after(1, bound -> bound - 1)).isEqualTo(Duration.ofMillis(2_500));
    }
}
