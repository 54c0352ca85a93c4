package io.trunkline.status.service;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/** Exponential back-off: {@code initial}, doubling with each failed attempt up to {@code max}, plus up to {@code jitter}. */
public record Backoff(Duration initial, Duration max, Duration jitter) {

    /**
     * The wait after the {@code attempts}-th failure in a row (1 for the first).
     *
     * @param random a value in {@code [0, bound)} for the given bound, so tests can fix it
     */
    public Duration after(int attempts, LongUnaryOperator random) {
        int doublings = Math.max(0, Math.min(attempts - 1, 30));
        long millis = initial.toMillis();
        for (int i = 0; i < doublings && millis < max.toMillis(); i++) {
            millis *= 2;
        }
        millis = Math.min(millis, max.toMillis());
        long spread = jitter.toMillis() <= 0 ? 0 : random.applyAsLong(jitter.toMillis() + 1);
        return Duration.ofMillis(millis + spread);
    }
}
