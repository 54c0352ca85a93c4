package io.trunkline.promotion.service;

import io.trunkline.events.DeploymentState;
import java.util.UUID;

/** A command that only applies to a deployment still under way named one that has ended. */
public class DeploymentFinishedException extends RuntimeException {

    private final UUID deploymentId;
    private final DeploymentState state;

    public DeploymentFinishedException(UUID deploymentId, DeploymentState state) {
        super("Deployment " + deploymentId + " has already ended " + state + ".");
        this.deploymentId = deploymentId;
        this.state = state;
    }

    public UUID deploymentId() {
        return deploymentId;
    }

    public DeploymentState state() {
        return state;
    }
}
