package io.trunkline.status.client;

/** Bitbucket refused the request for good (401, 403, 404, 400...): asking again cannot help. */
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
