package io.trunkline.status.service;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.status.persistence.Deployment;
import java.time.Instant;
import java.util.UUID;

/**
 * A deployment as the ops API lists it. {@code repository} is {@code workspace/slug} (for Data Center,
 * {@code project/slug}); {@code ref} the full branch or tag ref where known; {@code reportRefusal}
 * Bitbucket's reason where it refused for good to show the deployment (401, 403, 404...).
 */
public record DeploymentView(
        UUID id,
        String provider,
        String repository,
        String environment,
        DeploymentOperation operation,
        String commit,
        String ref,
        Long pullRequestId,
        DeploymentState state,
        String reason,
        Instant createdAt,
        Instant updatedAt,
        String environmentUrl,
        String targetUrl,
        String triggeredBy,
        String reportRefusal) {

    public static DeploymentView of(Deployment deployment) {
        return new DeploymentView(deployment.id, deployment.provider.id(),
                deployment.workspace + "/" + deployment.slug, deployment.environment, deployment.operation,
                deployment.commit, deployment.refName, deployment.pullRequestId, deployment.state, deployment.reason,
                deployment.createdAt, deployment.updatedAt, deployment.environmentUrl, deployment.targetUrl,
                deployment.triggeredBy, deployment.reportRefusal);
    }
}
