package io.trunkline.promotion.client;

import io.trunkline.commons.messaging.TransientFailure;

/**
 * Bitbucket could not answer now (5xx, 429, network error, timeout, open circuit): the event that needs
 * the answer is retried in place by its consumer until Bitbucket answers.
 */
public class BitbucketUnavailableException extends RuntimeException implements TransientFailure {

    public BitbucketUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
