package io.trunkline.status.client;

/** Bitbucket refused the request (4xx other than 429): retrying the same request cannot help. */
public class BitbucketRejectedException extends RuntimeException {

    private final int status;

    public BitbucketRejectedException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
