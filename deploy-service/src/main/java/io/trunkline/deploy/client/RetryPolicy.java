package io.trunkline.deploy.client;

import java.time.Duration;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When to call a target again, within a time budget: a call that deployed nothing
 * ({@link AttemptResult.Verdict#NOT_DEPLOYED}) is retried, and so is one whose outcome is unknown
 * when the target is idempotent; the wait starts at {@code initialBackoff} and doubles after each
 * attempt, capped at {@code maxBackoff}, and each wait is drawn at random from its upper half so
 * that instances do not call in step; a target that says how long to wait ({@code Retry-After}) is
 * left alone at least that long. No attempt starts once {@code budget} has passed since the first
 * one. Pure: the caller keeps the clock.
 *
 * @param random a number in [0, 1) per wait; {@code Math::random} outside tests
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, DoubleSupplier random) {

    public RetryPolicy {
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("trunkline.deploy backoffs must not be negative");
        }
    }

    /**
     * The wait before calling again after attempt number {@code attempt} (1 for the first call)
     * ended in {@code result}, {@code elapsed} after the first call started; empty to stop here.
     *
     * @param repeatUnknownOutcomes whether the target is idempotent: a call with an unknown outcome may be repeated
     * @param budget how long after the first call another attempt may still start
     */
    public Optional<Duration> retryAfter(AttemptResult result, int attempt, Duration elapsed,
            boolean repeatUnknownOutcomes, Duration budget) {
        if (!mayRepeat(result.verdict(), repeatUnknownOutcomes)) {
            return Optional.empty();
        }
        Duration wait = backoffAfter(attempt);
        if (result instanceof AttemptResult.Answered answered && answered.retryAfter() != null
                && answered.retryAfter().compareTo(wait) > 0) {
            wait = answered.retryAfter();
        }
        return elapsed.plus(wait).compareTo(budget) < 0 ? Optional.of(wait) : Optional.empty();
    }

    /** Whether a call that came to {@code verdict} may be made again, budget permitting. */
    public static boolean mayRepeat(AttemptResult.Verdict verdict, boolean repeatUnknownOutcomes) {
        return switch (verdict) {
            case NOT_DEPLOYED -> true;
            case OUTCOME_UNKNOWN -> repeatUnknownOutcomes;
            case SUCCEEDED, REFUSED -> false;
        };
    }

    /** The wait after attempt number {@code attempt} failed: half the capped exponential backoff plus up to as much again. */
    public Duration backoffAfter(int attempt) {
        Duration ceiling = ceilingAfter(attempt);
        long half = ceiling.toNanos() / 2;
        long jitter = (long) (random.getAsDouble() * (ceiling.toNanos() - half));
        return Duration.ofNanos(half + Math.max(0, jitter));
    }

    /** The longest wait after attempt number {@code attempt}: {@code initialBackoff} doubled per attempt, capped. */
    Duration ceilingAfter(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
