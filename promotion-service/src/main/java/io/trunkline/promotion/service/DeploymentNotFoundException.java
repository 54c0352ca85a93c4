package io.trunkline.promotion.service;

import java.util.UUID;

/** A command named a deployment that does not exist. */
public class DeploymentNotFoundException extends RuntimeException {

    private final UUID deploymentId;

    public DeploymentNotFoundException(UUID deploymentId) {
        super("No deployment " + deploymentId + " exists.");
        this.deploymentId = deploymentId;
    }

    /** An id that is not a deployment id at all. */
    public DeploymentNotFoundException(String id) {
        super("No deployment " + id + " exists.");
        this.deploymentId = null;
    }

    /** Null when the id was not a deployment id at all. */
    public UUID deploymentId() {
        return deploymentId;
    }
}
