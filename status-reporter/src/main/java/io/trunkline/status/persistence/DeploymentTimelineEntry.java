package io.trunkline.status.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.DeploymentState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** One state a deployment entered: a line of its timeline. */
@Entity
@Table(name = "deployment_event")
public class DeploymentTimelineEntry extends PanacheEntityBase {

    /** The id of the event that reported the state. */
    @Id
    @Column(name = "event_id")
    public UUID eventId;

    @Column(name = "deployment_id", nullable = false)
    public UUID deploymentId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentState state;

    public String reason;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** The timeline of a deployment, oldest first. */
    public static List<DeploymentTimelineEntry> of(UUID deploymentId) {
        return list("deploymentId = ?1 ORDER BY occurredAt, recordedAt", deploymentId);
    }
}
