package io.trunkline.status.client;

import io.trunkline.commons.messaging.TransientFailure;

/** Bitbucket could not take the request now (5xx, 429, network error): retried until it does. */
public class BitbucketUnavailableException extends RuntimeException implements TransientFailure {

    public BitbucketUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
