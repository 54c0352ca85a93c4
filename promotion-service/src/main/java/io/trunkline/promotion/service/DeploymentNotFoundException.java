package io.trunkline.promotion.service;

import java.util.UUID;

/** A command named a deployment that does not exist. */
public class DeploymentNotFoundException extends RuntimeException {

    private final UUID deploymentId;

    public DeploymentNotFoundException(UUID deploymentId) {
        super("No deployment " + deploymentId + " exists.");
        this.deploymentId = deploymentId;
    }

    public UUID deploymentId() {
        return deploymentId;
    }
}
