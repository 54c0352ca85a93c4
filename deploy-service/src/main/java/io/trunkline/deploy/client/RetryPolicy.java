package io.trunkline.deploy.client;

import java.time.Duration;

/**
 * Bounded retries with exponential backoff: up to {@code attempts} calls in all, the second after
 * {@code initialBackoff}, each further one after twice the previous wait, capped at {@code maxBackoff}.
 * Only transient failures are retried (see {@link AttemptResult#transientFailure()}).
 */
public record RetryPolicy(int attempts, Duration initialBackoff, Duration maxBackoff) {

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("trunkline.deploy.attempts must be at least 1, was " + attempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("trunkline.deploy backoffs must not be negative");
        }
    }

    /** Whether to call again after {@code attempt} (1 for the first call) ended in {@code result}. */
    public boolean shouldRetry(AttemptResult result, int attempt) {
        if (result instanceof AttemptResult.Answered answered && answered.succeeded()) {
            return false;
        }
        return result.transientFailure() && attempt < attempts;
    }

    /** The wait after attempt number {@code attempt} failed, before the next one. */
    public Duration backoffAfter(int attempt) {
        Duration wait = initialBackoff;
        for (int i = 1; i < attempt && wait.compareTo(maxBackoff) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
    }
}
