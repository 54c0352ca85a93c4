package io.trunkline.deploy.service;

import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import java.time.Instant;
import java.util.UUID;

/** The {@code DeploymentStateChanged} events deploy-service publishes about a requested deployment. */
final class StateEvents {

    private StateEvents() {
    }

    static DeploymentStateChanged of(DeploymentRequested request, DeploymentState state, String reason, Instant at) {
        return of(request, state, reason, at, null);
    }

    /** @param targetUrl the page of the run the target started (a pipeline's, a Pulumi console's); null for none */
    static DeploymentStateChanged of(DeploymentRequested request, DeploymentState state, String reason, Instant at,
            String targetUrl) {
        return new DeploymentStateChanged(UUID.randomUUID(), at, request.deploymentId(), request.repository(),
                request.environment(), request.operation(), request.commit(), request.pullRequestId(), state, reason,
                request.branch(), request.tag(), null, null, targetUrl);
    }

    static String repository(DeploymentRequested request) {
        return request.repository() == null ? "?" : request.repository().fullName();
    }

    static String operation(DeploymentRequested request) {
        return request.operation() == null ? "deploy" : request.operation().name().toLowerCase();
    }

    static String targetType(DeploymentRequested request) {
        return request.target() == null || request.target().type() == null ? "unknown" : request.target().type();
    }
}
