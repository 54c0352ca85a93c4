package io.trunkline.status.client;

/** Bitbucket could not take the request now (5xx, 429, network error): worth retrying. */
public class BitbucketUnavailableException extends RuntimeException {

    public BitbucketUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
