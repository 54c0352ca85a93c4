package io.trunkline.status.persistence;

import io.trunkline.events.DeploymentState;
import java.time.Instant;
import java.util.UUID;

/**
 * One state a deployment entered ({@code deployment_event}): a line of its timeline.
 *
 * @param eventId the id of the event that reported the state
 */
public record DeploymentTimelineEntry(UUID eventId, UUID deploymentId, DeploymentState state, String reason,
        Instant occurredAt, Instant recordedAt) {
}
