package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A pull request's own environment, {@code <configured environment>/pr-<id>}: open while the pull request
 * is, with the head commit it was last deployed for; closed (and torn down once) when the pull request is
 * merged, declined or deleted, or when it was idle for the environment's {@code ttl}.
 */
@Entity
@Table(name = "preview")
@IdClass(PreviewEntity.Key.class)
public class PreviewEntity extends PanacheEntityBase {

    @Id
    public String provider;

    @Id
    public String workspace;

    @Id
    public String slug;

    /** {@code preview/pr-7}. */
    @Id
    public String environment;

    /** {@code preview}: the environment of the configuration it belongs to. */
    @Column(name = "configured_environment", nullable = false)
    public String configuredEnvironment;

    @Column(name = "pull_request_id", nullable = false)
    public long pullRequestId;

    @Column(name = "source_branch")
    public String sourceBranch;

    @Column(name = "head_commit", nullable = false)
    public String headCommit;

    @Column(name = "opened_at", nullable = false)
    public Instant openedAt;

    /** When the pull request last got a new head commit: the preview's idle time counts from here. */
    @Column(name = "last_commit_at", nullable = false)
    public Instant lastCommitAt;

    /** When it is torn down unless a new commit comes; null without a ttl. */
    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    @Column(name = "close_reason")
    public String closeReason;

    public boolean open() {
        return closedAt == null;
    }

    public RepositoryRef repository() {
        return new RepositoryRef(ScmProvider.fromId(provider), workspace, slug);
    }

    /** The preview, its row locked for this transaction. */
    public static Optional<PreviewEntity> lock(RepositoryRef repository, String environment) {
        return findByIdOptional(new Key(repository.provider().id(), repository.workspace(), repository.slug(),
                environment), LockModeType.PESSIMISTIC_WRITE);
    }

    /**
     * Up to {@code limit} open previews whose expiry has passed, locked for this transaction; rows another
     * transaction holds (another instance, a pull request event) are skipped.
     */
    @SuppressWarnings("unchecked")
    public static List<PreviewEntity> lockExpired(Instant now, int limit) {
        return getEntityManager().createNativeQuery("SELECT * FROM preview WHERE expires_at <= ?1 AND closed_at IS NULL "
                        + "ORDER BY expires_at LIMIT ?2 FOR UPDATE SKIP LOCKED", PreviewEntity.class)
                .setParameter(1, now)
                .setParameter(2, limit)
                .getResultList();
    }

    public record Key(String provider, String workspace, String slug, String environment) implements Serializable {
        public Key() {
            this(null, null, null, null);
        }
    }
}
