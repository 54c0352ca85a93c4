package io.trunkline.deploy.service;

/**
 * A deployment that cannot be carried out. The message is the {@code reason} published with the
 * FAILED state: it says what is wrong for people, and never holds a secret.
 */
public class DeploymentFailedException extends RuntimeException {

    public DeploymentFailedException(String reason) {
        super(reason);
    }
}
