package io.trunkline.promotion.service;

/** A command named a repository that is not configured, or an environment its configuration does not have. */
public class EnvironmentNotFoundException extends RuntimeException {

    public EnvironmentNotFoundException(String message) {
        super(message);
    }
}
