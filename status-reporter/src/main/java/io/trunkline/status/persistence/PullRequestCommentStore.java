package io.trunkline.status.persistence;

import io.trunkline.events.ScmProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Which comment Trunkline keeps on each pull request ({@code pull_request_comment}). */
@ApplicationScoped
public class PullRequestCommentStore {

    private final EntityManager entityManager;

    public PullRequestCommentStore(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** The pull request's comment as known: its id and version where created, and whether a creation was attempted. */
    public record StoredComment(Long commentId, Integer version, Instant createAttemptedAt) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public Optional<StoredComment> find(ScmProvider provider, String workspace, String slug, long pullRequest) {
        List<Object[]> rows = entityManager.createNativeQuery("""
                        SELECT comment_id, comment_version, create_attempted_at FROM pull_request_comment
                        WHERE provider = ?1 AND workspace = ?2 AND slug = ?3 AND pull_request_id = ?4""")
                .setParameter(1, provider.id())
                .setParameter(2, workspace)
                .setParameter(3, slug)
                .setParameter(4, pullRequest)
                .getResultList();
        return rows.stream().findFirst().map(row -> new StoredComment(
                row[0] == null ? null : ((Number) row[0]).longValue(),
                row[1] == null ? null : ((Number) row[1]).intValue(),
                instant(row[2])));
    }

    /** A comment is about to be created; set before the request leaves, so a lost answer is looked for later. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void creating(ScmProvider provider, String workspace, String slug, long pullRequest) {
        upsert(provider, workspace, slug, pullRequest, null, null, Instant.now());
    }

    /** The comment exists with this id (and Data Center version). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void stored(ScmProvider provider, String workspace, String slug, long pullRequest, long commentId, int version) {
        upsert(provider, workspace, slug, pullRequest, commentId, version, null);
    }

    /** The comment is gone (someone deleted it): the next state creates a new one. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void forget(ScmProvider provider, String workspace, String slug, long pullRequest) {
        upsert(provider, workspace, slug, pullRequest, null, null, null);
    }

    private void upsert(ScmProvider provider, String workspace, String slug, long pullRequest, Long commentId,
            Integer version, Instant createAttemptedAt) {
        entityManager.createNativeQuery("""
                        INSERT INTO pull_request_comment (provider, workspace, slug, pull_request_id, comment_id,
                            comment_version, create_attempted_at, updated_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, now())
                        ON CONFLICT (provider, workspace, slug, pull_request_id) DO UPDATE SET
                            comment_id = EXCLUDED.comment_id, comment_version = EXCLUDED.comment_version,
                            create_attempted_at = EXCLUDED.create_attempted_at, updated_at = now()""")
                .setParameter(1, provider.id())
                .setParameter(2, workspace)
                .setParameter(3, slug)
                .setParameter(4, pullRequest)
                .setParameter(5, commentId)
                .setParameter(6, version)
                .setParameter(7, createAttemptedAt)
                .executeUpdate();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toInstant();
        }
        if (value instanceof java.time.OffsetDateTime offset) {
            return offset.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass());
    }
}
