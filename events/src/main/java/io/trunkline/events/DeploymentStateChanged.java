package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A deployment entered a new state. promotion-service publishes the states it decides
 * (queued, waiting approval, rejected, superseded, cancelled), deploy-service those of the run (in
 * progress, succeeded, failed). {@code reason} says why, for people. {@code branch} and {@code tag} are
 * the ref deployed (null where none), {@code environmentUrl} where the environment answers (a preview's
 * {@code url} expanded; null where the configuration names none), {@code triggeredBy} who or what caused
 * the deployment (the push's or pull request's actor, or the operator); producers that do not know them
 * leave them null.
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
        String reason,
        String branch,
        String tag,
        String environmentUrl,
        String triggeredBy) implements TrunklineEvent {

    /** The form before branch, tag, environment URL and trigger: all unknown. */
    public DeploymentStateChanged(UUID eventId, Instant occurredAt, UUID deploymentId, RepositoryRef repository,
            String environment, DeploymentOperation operation, String commit, Long pullRequestId, DeploymentState state,
            String reason) {
        this(eventId, occurredAt, deploymentId, repository, environment, operation, commit, pullRequestId, state, reason,
                null, null, null, null);
    }

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
