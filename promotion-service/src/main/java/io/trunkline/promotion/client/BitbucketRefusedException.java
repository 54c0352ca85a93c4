package io.trunkline.promotion.client;

/**
 * Bitbucket refused a request for good (401, 403, 404 of a repository, another 4xx) or cannot be asked
 * (no Data Center server configured): asking again soon will not help, an operator must act.
 */
public class BitbucketRefusedException extends RuntimeException {

    public BitbucketRefusedException(String message) {
        super(message);
    }
}
