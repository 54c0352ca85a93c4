package io.trunkline.status.client;

import io.trunkline.commons.messaging.TransientFailure;
import java.time.Duration;
import java.util.Optional;

/** Bitbucket answered 429: the token's rate limit is used up; {@code retryAfter} is how long it asked us to wait. */
public class BitbucketRateLimitedException extends RuntimeException implements TransientFailure {

    private final Duration retryAfter;

    public BitbucketRateLimitedException(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    /** The wait Bitbucket's {@code Retry-After} header asked for; empty when it gave none. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
