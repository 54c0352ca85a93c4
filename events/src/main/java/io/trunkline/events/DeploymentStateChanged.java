package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A deployment entered a new state. promotion-service publishes the states it decides
 * (queued, rejected, superseded, cancelled), deploy-service those of the run (in progress,
 * succeeded, failed). {@code reason} says why, for people.
 */
public record DeploymentStateChanged(
        UUID eventId,
        Instant occurredAt,
        UUID deploymentId,
        RepositoryRef repository,
        String environment,
        DeploymentOperation operation,
        String commit,
        Long pullRequestId,
        DeploymentState state,
        String reason) implements TrunklineEvent {

    public static final String TYPE_PREFIX = "io.trunkline.deployment.";

    @Override
    public String eventType() {
        return TYPE_PREFIX + state.name().toLowerCase().replace('_', '-');
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
