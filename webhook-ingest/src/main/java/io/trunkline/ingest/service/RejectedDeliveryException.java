package io.trunkline.ingest.service;

/** A delivery refused for what it is; sending it again does not help. The message says why, without secrets or payload text. */
public class RejectedDeliveryException extends RuntimeException {

    private final Rejection rejection;

    public RejectedDeliveryException(Rejection rejection, String detail) {
        super(detail);
        this.rejection = rejection;
    }

    public Rejection rejection() {
        return rejection;
    }

    public enum Rejection {
        /** Body or headers are not a Bitbucket delivery. */
        MALFORMED,
        /** The signature is missing or does not match. */
        BAD_SIGNATURE,
        /** The body is over {@code trunkline.webhook.max-body-bytes}. */
        TOO_LARGE,
        /** The body is not declared as JSON. */
        NOT_JSON
    }
}
