package io.trunkline.promotion.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.promotion.persistence.DeploymentEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A deployment as the operator commands answer with it: as it is after the command. {@code cancelRequested}
 * is set while deploy-service is asked to stop a run (the deployment ends CANCELLED when the run ends);
 * {@code targetUrl} is the page of the run its target started, as deploy-service reported it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeploymentView(UUID id, String provider, String workspace, String slug, String environment,
        DeploymentOperation operation, String commit, String branch, String tag, Long pullRequestId,
        DeploymentState state, String reason, String requestedBy, String approvedBy, String cancelRequested,
        String freezeOverride, String environmentUrl, String targetUrl, String triggeredBy, Instant createdAt,
        Instant updatedAt) {

    static DeploymentView of(DeploymentEntity deployment) {
        return new DeploymentView(deployment.id, deployment.provider, deployment.workspace, deployment.slug,
                deployment.environment, deployment.operation, deployment.commit, deployment.branch, deployment.tag,
                deployment.pullRequestId, deployment.state, deployment.reason, deployment.requestedBy,
                deployment.approvedBy, deployment.state.isFinal() ? null : deployment.cancelReason,
                deployment.freezeOverride, deployment.environmentUrl, deployment.targetUrl, deployment.triggeredBy,
                deployment.createdAt, deployment.updatedAt);
    }
}
