package io.trunkline.status.service;

import java.util.UUID;

/** No deployment with that id was ever reported. */
public class DeploymentNotFoundException extends RuntimeException {

    public DeploymentNotFoundException(UUID id) {
        super("No deployment " + id + " has been reported.");
    }
}
