package io.trunkline.status.client;

import io.trunkline.commons.messaging.TransientFailure;

/** Bitbucket could not take the request now (5xx, network error, timeout, open circuit): asked again later. */
public class BitbucketUnavailableException extends RuntimeException implements TransientFailure {

    public BitbucketUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
