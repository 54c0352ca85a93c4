package io.trunkline.deploy.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.UUID;

/**
 * This process's name as a lease owner: random at each start, so that a restarted instance does not
 * mistake the runs its previous life left behind for runs it is working on.
 */
@ApplicationScoped
public class InstanceId {

    private final String id = "deploy-service-" + UUID.randomUUID();

    public String id() {
        return id;
    }
}
