package io.trunkline.deploy.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.DeploymentState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** deploy-service's record of one deployment it carried out (or is carrying out). */
@Entity
@Table(name = "deployment_run")
public class DeploymentRun extends PanacheEntityBase {

    @Id
    @Column(name = "deployment_id")
    public UUID deploymentId;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentState state;

    @Column(nullable = false)
    public int attempts;

    public String reason;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** The request as JSON (credential references only), for whoever has to resume or report the run. */
    public String request;

    /** The instance holding the run while it is in progress. */
    @Column(name = "lease_owner")
    public String leaseOwner;

    /** Until when {@link #leaseOwner} holds the run unless it renews the lease (database clock). */
    @Column(name = "lease_expires_at")
    public Instant leaseExpiresAt;

    /** The run the target started (a pipeline's uuid, a Pulumi deployment's id); null before, or for http targets. */
    @Column(name = "external_id")
    public String externalId;

    /** That run's page for people. */
    public String link;

    /** The result of the verify checks as JSON ({@code VerificationResult}); null without checks or before they ran. */
    public String verification;
}
