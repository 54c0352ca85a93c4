package io.trunkline.ingest.service;

/** The delivery is not a well-formed Bitbucket payload for its event key. */
public class InvalidPayloadException extends RuntimeException {

    public InvalidPayloadException(String message) {
        super(message);
    }
}
