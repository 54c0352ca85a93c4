package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * An operator cancelled a deployment that promotion-service had already handed to deploy-service.
 * Travels on {@link Topics#DEPLOY_REQUESTS} with the same key as the {@link DeploymentRequested} it is
 * about, so it never overtakes it. deploy-service does not start the deployment if it has not yet, stops
 * the run where the target supports it, and reports {@code CANCELLED}; a run it cannot stop goes on, and
 * promotion-service records it CANCELLED when it ends. {@code requestedBy} is the operator's subject;
 * {@code reason} says why, for people.
 */
public record DeploymentCancelRequested(
        UUID eventId,
        Instant occurredAt,
        UUID deploymentId,
        RepositoryRef repository,
        String environment,
        String requestedBy,
        String reason) implements TrunklineEvent {

    /** Deliberately outside {@code io.trunkline.deployment.}: that prefix names the states of a deployment. */
    public static final String TYPE = "io.trunkline.deployment-cancel.requested";

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String partitionKey() {
        return DeploymentKeys.key(repository, environment);
    }

    @Override
    public String subject() {
        return deploymentId.toString();
    }
}
