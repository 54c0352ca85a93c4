package io.trunkline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * promotion-service decided that a commit goes to an environment; deploy-service carries it out.
 * {@code branch}, {@code tag} and {@code pullRequestId} are null where they do not apply.
 * {@code notAfter}: promotion-service gives up on the deployment at that time (it ends FAILED there),
 * so deploy-service does not start it later; null for no limit.
 * {@code environmentUrl}: where the environment answers (its {@code url} expanded), the {@code {url}} of the
 * {@code verify} checks; {@code verify}: the checks deploy-service runs after the target reported success,
 * before the deployment is SUCCEEDED. Both null where the environment has none, and JSON written before
 * they existed reads as null.
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
        Instant notAfter,
        String environmentUrl,
        List<VerifyCheck> verify) implements TrunklineEvent {

    /** The form before verification: no checks. */
    public DeploymentRequested(UUID eventId, Instant occurredAt, UUID deploymentId, RepositoryRef repository,
            String environment, DeploymentOperation operation, String commit, String branch, String tag,
            Long pullRequestId, TargetSpec target, Instant notAfter) {
        this(eventId, occurredAt, deploymentId, repository, environment, operation, commit, branch, tag, pullRequestId,
                target, notAfter, null, null);
    }

    /** Whether checks run after the target reported success. */
    public boolean verifies() {
        return verify != null && !verify.isEmpty();
    }

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
