package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@Entity
@Table(name = "deployment")
public class DeploymentEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public String workspace;

    @Column(nullable = false)
    public String slug;

    @Column(nullable = false)
    public String environment;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentOperation operation;

    @Column(name = "commit_sha", nullable = false)
    public String commit;

    public String branch;

    public String tag;

    @Column(name = "pr_id")
    public Long pullRequestId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public DeploymentState state;

    public String reason;

    @Column(nullable = false)
    public boolean dispatched;

    /** When the deployment ends FAILED unless deploy-service reports before; null when it awaits no news. */
    @Column(name = "news_deadline")
    public Instant newsDeadline;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public RepositoryRef repository() {
        return new RepositoryRef(ScmProvider.fromId(provider), workspace, slug);
    }

    /** Deployments of the environment waiting for their turn, oldest first. */
    public static List<DeploymentEntity> waiting(String workspace, String slug, String environment) {
        return list("workspace = ?1 AND slug = ?2 AND environment = ?3 AND state = ?4 AND dispatched = false "
                + "ORDER BY createdAt", workspace, slug, environment, DeploymentState.QUEUED);
    }

    /** The deployment handed to deploy-service and not finished yet, if any. */
    public static Optional<DeploymentEntity> running(String workspace, String slug, String environment) {
        return find("workspace = ?1 AND slug = ?2 AND environment = ?3 AND dispatched = true AND state IN ?4",
                workspace, slug, environment, List.of(DeploymentState.QUEUED, DeploymentState.IN_PROGRESS))
                .firstResultOptional();
    }

    /**
     * Up to {@code limit} deployments whose news deadline has passed, locked for this transaction; rows
     * another transaction holds (another instance sweeping, a state change being applied) are skipped.
     */
    @SuppressWarnings("unchecked")
    public static List<DeploymentEntity> lockOverdue(Instant now, int limit) {
        return getEntityManager().createNativeQuery("SELECT * FROM deployment WHERE news_deadline <= ?1 AND dispatched "
                        + "AND state IN ('QUEUED', 'IN_PROGRESS') ORDER BY news_deadline LIMIT ?2 FOR UPDATE SKIP LOCKED",
                        DeploymentEntity.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    public static boolean succeeded(String workspace, String slug, String environment, String commit) {
        return count("workspace = ?1 AND slug = ?2 AND environment = ?3 AND commit = ?4 AND state = ?5",
                workspace, slug, environment, commit, DeploymentState.SUCCEEDED) > 0;
    }
}
