package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
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

    /** The operator who asked for it (redeploy, rollback); null when the rules planned it. */
    @Column(name = "requested_by")
    public String requestedBy;

    /** The operator who approved it; null when it needed no approval or has not been approved. */
    @Column(name = "approved_by")
    public String approvedBy;

    /** Set when an operator cancelled it after it was handed to deploy-service: it ends CANCELLED with this reason. */
    @Column(name = "cancel_reason")
    public String cancelReason;

    /** Where the environment answers: its {@code url} template expanded for this deployment; null without one. */
    @Column(name = "environment_url")
    public String environmentUrl;

    /**
     * The page of the run its target started (a Bitbucket pipeline's, a Pulumi console URL), as deploy-service
     * reported it; null until it does, and for targets that start no run.
     */
    @Column(name = "target_url")
    public String targetUrl;

    /** Who or what caused it: the push's or pull request's actor, or the operator. */
    @Column(name = "triggered_by")
    public String triggeredBy;

    /** While it waits for a soak or a freeze window: when its gates are looked at again. */
    @Column(name = "not_before")
    public Instant notBefore;

    /** Set when an operator let it through freeze windows: who and why. */
    @Column(name = "freeze_override")
    public String freezeOverride;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public RepositoryRef repository() {
        return new RepositoryRef(ScmProvider.fromId(provider), workspace, slug);
    }

    /** Whether an operator asked for it by hand, rather than the rules planning it. */
    public boolean requestedByOperator() {
        return requestedBy != null;
    }

    /**
     * The deployments of the environment that have not ended (waiting for their turn or for approval, or handed to
     * deploy-service), oldest first: everything a decision about the environment looks at, in one query. The
     * states are scalar parameters (not a list), so that Hibernate translates the query once, not on each call.
     */
    public static List<DeploymentEntity> unfinished(RepositoryRef repository, String environment) {
        return findUnfinished(repository, environment).list();
    }

    /** The same ({@link #unfinished}), their rows locked for this transaction. */
    public static List<DeploymentEntity> lockUnfinished(RepositoryRef repository, String environment) {
        return findUnfinished(repository, environment).withLock(LockModeType.PESSIMISTIC_WRITE).list();
    }

    private static PanacheQuery<DeploymentEntity> findUnfinished(RepositoryRef repository, String environment) {
        return find("provider = ?1 AND workspace = ?2 AND slug = ?3 AND environment = ?4 AND state IN (?5, ?6, ?7) "
                + "ORDER BY createdAt, id", repository.provider().id(), repository.workspace(), repository.slug(),
                environment, DeploymentState.QUEUED, DeploymentState.WAITING_APPROVAL, DeploymentState.IN_PROGRESS);
    }

    /** Of {@code unfinished} ({@link #unfinished}, in its order), those waiting for their turn: QUEUED, not handed over. */
    public static List<DeploymentEntity> waiting(List<DeploymentEntity> unfinished) {
        return unfinished.stream().filter(deployment -> !deployment.dispatched
                && deployment.state == DeploymentState.QUEUED).toList();
    }

    /** Of {@code unfinished}, those not handed over yet: waiting for their turn or for approval, oldest first. */
    public static List<DeploymentEntity> undispatched(List<DeploymentEntity> unfinished) {
        return unfinished.stream().filter(deployment -> !deployment.dispatched
                && (deployment.state == DeploymentState.QUEUED || deployment.state == DeploymentState.WAITING_APPROVAL))
                .toList();
    }

    /** Of {@code unfinished}, the one handed to deploy-service and not finished yet, if any. */
    public static Optional<DeploymentEntity> running(List<DeploymentEntity> unfinished) {
        return unfinished.stream().filter(deployment -> deployment.dispatched
                && (deployment.state == DeploymentState.QUEUED || deployment.state == DeploymentState.IN_PROGRESS))
                .findFirst();
    }

    /** Deployments of the environment not handed over yet: waiting for their turn or for approval, oldest first. */
    public static List<DeploymentEntity> undispatched(RepositoryRef repository, String environment) {
        return undispatched(unfinished(repository, environment));
    }

    /** The deployment handed to deploy-service and not finished yet, if any. */
    public static Optional<DeploymentEntity> running(RepositoryRef repository, String environment) {
        return running(unfinished(repository, environment));
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

    /** Whether any deployment of the environment (a preview) was ever handed to deploy-service. */
    public static boolean everDispatched(RepositoryRef repository, String environment) {
        return count("provider = ?1 AND workspace = ?2 AND slug = ?3 AND environment = ?4 AND operation = ?5 "
                + "AND dispatched = true", repository.provider().id(), repository.workspace(), repository.slug(),
                environment, DeploymentOperation.DEPLOY) > 0;
    }

    /**
     * The successful deployments of the environment since the commit first succeeded there, oldest first:
     * the history its soak is judged on.
     */
    public static List<DeploymentEntity> successesSinceFirstOf(RepositoryRef repository, String environment,
            String commit) {
        return list("provider = ?1 AND workspace = ?2 AND slug = ?3 AND environment = ?4 AND operation = ?5 "
                + "AND state = ?6 AND updatedAt >= (SELECT MIN(first.updatedAt) FROM DeploymentEntity first "
                + "WHERE first.provider = ?1 AND first.workspace = ?2 AND first.slug = ?3 AND first.environment = ?4 "
                + "AND first.operation = ?5 AND first.state = ?6 AND first.commit = ?7) ORDER BY updatedAt, id",
                repository.provider().id(), repository.workspace(), repository.slug(), environment,
                DeploymentOperation.DEPLOY, DeploymentState.SUCCEEDED, commit);
    }

    /**
     * Up to {@code limit} environments with a deployment waiting for a gate whose time has come, as
     * {@code provider, workspace, slug, environment}.
     */
    @SuppressWarnings("unchecked")
    public static List<Object[]> environmentsDue(Instant now, int limit) {
        return getEntityManager().createNativeQuery("SELECT DISTINCT provider, workspace, slug, environment FROM deployment "
                        + "WHERE not_before <= ?1 AND state = 'QUEUED' AND NOT dispatched LIMIT ?2")
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    /** Whether a deployment of the commit to the environment was rejected before. */
    public static boolean rejected(RepositoryRef repository, String environment, String commit) {
        return count("provider = ?1 AND workspace = ?2 AND slug = ?3 AND environment = ?4 AND commit = ?5 "
                + "AND state = ?6", repository.provider().id(), repository.workspace(), repository.slug(), environment,
                commit, DeploymentState.REJECTED) > 0;
    }

    /** Whether the commit once deployed successfully to the environment. */
    public static boolean succeeded(RepositoryRef repository, String environment, String commit) {
        return count("provider = ?1 AND workspace = ?2 AND slug = ?3 AND environment = ?4 AND commit = ?5 "
                + "AND operation = ?6 AND state = ?7", repository.provider().id(), repository.workspace(),
                repository.slug(), environment, commit, DeploymentOperation.DEPLOY, DeploymentState.SUCCEEDED) > 0;
    }

    /** The successful deployments to the environment of commits starting with {@code commitPrefix}, newest first. */
    public static List<DeploymentEntity> succeededWithPrefix(RepositoryRef repository, String environment,
            String commitPrefix) {
        return list("provider = ?1 AND workspace = ?2 AND slug = ?3 AND environment = ?4 AND commit LIKE ?5 "
                + "AND operation = ?6 AND state = ?7 ORDER BY updatedAt DESC", repository.provider().id(),
                repository.workspace(), repository.slug(), environment, likePrefix(commitPrefix),
                DeploymentOperation.DEPLOY, DeploymentState.SUCCEEDED);
    }

    /** The latest successful deployment to the environment: what runs there now, if anything ever succeeded. */
    public static Optional<DeploymentEntity> current(RepositoryRef repository, String environment) {
        return find("provider = ?1 AND workspace = ?2 AND slug = ?3 AND environment = ?4 AND operation = ?5 "
                + "AND state = ?6 ORDER BY updatedAt DESC", repository.provider().id(), repository.workspace(),
                repository.slug(), environment, DeploymentOperation.DEPLOY, DeploymentState.SUCCEEDED)
                .firstResultOptional();
    }

    /** Commit prefixes are hexadecimal (checked by the caller): nothing in them needs escaping. */
    private static String likePrefix(String prefix) {
        return prefix + "%";
    }
}
