package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A deployment entered a new state. promotion-service publishes the states it decides
 * (queued, waiting approval, rejected, superseded, cancelled), deploy-service those of the run (in
 * progress, succeeded, failed). {@code reason} says why, for people. {@code branch} and {@code tag} are
 * the ref deployed (null where none), {@code environmentUrl} where the environment answers (a preview's
 * {@code url} expanded; null where the configuration names none), {@code triggeredBy} who or what caused
 * the deployment (the push's or pull request's actor, or the operator), {@code targetUrl} the page of the
 * run the target started (a Bitbucket pipeline's page, a Pulumi deployment's {@code consoleUrl}; null for
 * targets that start none, and before they did); producers that do not know them leave them null, and
 * JSON without them (written before they existed) reads as null. {@code verification}: how the deployment's
 * post-deploy checks went, on the states deploy-service publishes once they started (null where the
 * environment has none, or before they ran).
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
        String triggeredBy,
        String targetUrl,
        VerificationResult verification) implements TrunklineEvent {

    /** The form before verification: none known. */
    public DeploymentStateChanged(UUID eventId, Instant occurredAt, UUID deploymentId, RepositoryRef repository,
            String environment, DeploymentOperation operation, String commit, Long pullRequestId, DeploymentState state,
            String reason, String branch, String tag, String environmentUrl, String triggeredBy, String targetUrl) {
        this(eventId, occurredAt, deploymentId, repository, environment, operation, commit, pullRequestId, state, reason,
                branch, tag, environmentUrl, triggeredBy, targetUrl, null);
    }

    /** The form before branch, tag, environment URL and trigger: all unknown. */
    public DeploymentStateChanged(UUID eventId, Instant occurredAt, UUID deploymentId, RepositoryRef repository,
            String environment, DeploymentOperation operation, String commit, Long pullRequestId, DeploymentState state,
            String reason) {
        this(eventId, occurredAt, deploymentId, repository, environment, operation, commit, pullRequestId, state, reason,
                null, null, null, null, null);
    }

    /** The form before the target run's link: none known. */
    public DeploymentStateChanged(UUID eventId, Instant occurredAt, UUID deploymentId, RepositoryRef repository,
            String environment, DeploymentOperation operation, String commit, Long pullRequestId, DeploymentState state,
            String reason, String branch, String tag, String environmentUrl, String triggeredBy) {
        this(eventId, occurredAt, deploymentId, repository, environment, operation, commit, pullRequestId, state, reason,
                branch, tag, environmentUrl, triggeredBy, null);
    }

    /** This event with the target run's link {@code targetUrl}. */
    public DeploymentStateChanged withTargetUrl(String targetUrl) {
        return new DeploymentStateChanged(eventId, occurredAt, deploymentId, repository, environment, operation, commit,
                pullRequestId, state, reason, branch, tag, environmentUrl, triggeredBy, targetUrl, verification);
    }

    /** This event with the post-deploy checks' result. */
    public DeploymentStateChanged withVerification(VerificationResult verification) {
        return new DeploymentStateChanged(eventId, occurredAt, deploymentId, repository, environment, operation, commit,
                pullRequestId, state, reason, branch, tag, environmentUrl, triggeredBy, targetUrl, verification);
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
