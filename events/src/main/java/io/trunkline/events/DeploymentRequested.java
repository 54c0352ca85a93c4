package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * promotion-service decided that a commit goes to an environment; deploy-service carries it out.
 * {@code branch}, {@code tag} and {@code pullRequestId} are null where they do not apply.
 * {@code notAfter}: promotion-service gives up on the deployment at that time (it ends FAILED there),
 * so deploy-service does not start it later; null for no limit.
 */
public record DeploymentRequested(
        UUID eventId,
        Instant occurredAt,
        UUID deploymentId,
        RepositoryRef repository,
        String environment,
        DeploymentOperation operation,
        String commit,
        String branch,
        String tag,
        Long pullRequestId,
        TargetSpec target,
        Instant notAfter) implements TrunklineEvent {

    public static final String TYPE = "io.trunkline.deployment.requested";

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
