package io.trunkline.status.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.ScmProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** A deployment as last reported: what was deployed where, and the state it is in. */
@Entity
@Table(name = "deployment")
public class Deployment extends PanacheEntityBase {

    @Id
    public UUID id;

    @Convert(converter = ScmProviderConverter.class)
    @Column(nullable = false)
    public ScmProvider provider;

    /** For Bitbucket Data Center, the project key. */
    @Column(nullable = false)
    public String workspace;

    @Column(nullable = false)
    public String slug;

    @Column(nullable = false)
    public String environment;

    @Column(name = "commit_hash")
    public String commit;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentOperation operation;

    @Column(name = "pull_request_id")
    public Long pullRequestId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentState state;

    /** Why the deployment is in its state, for people; null where the event gave no reason. */
    public String reason;

    /** When the first reported state was entered. */
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    /** When the current state was entered. */
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
}
