package io.trunkline.status.persistence;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.ScmProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

/** Which comment Trunkline keeps on each pull request ({@code pull_request_comment}). */
@ApplicationScoped
public class PullRequestCommentStore {

    private final AgroalDataSource dataSource;

    public PullRequestCommentStore(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The pull request's comment as known: its id and version where created, and whether a creation was attempted. */
    public record StoredComment(Long commentId, Integer version, Instant createAttemptedAt) {
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<StoredComment> find(ScmProvider provider, String workspace, String slug, long pullRequest) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT comment_id, comment_version, create_attempted_at FROM pull_request_comment
                        WHERE provider = ? AND workspace = ? AND slug = ? AND pull_request_id = ?""")) {
            select.setString(1, provider.id());
            select.setString(2, workspace);
            select.setString(3, slug);
            select.setLong(4, pullRequest);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                long commentId = row.getLong("comment_id");
                Long id = row.wasNull() ? null : commentId;
                int commentVersion = row.getInt("comment_version");
                Integer version = row.wasNull() ? null : commentVersion;
                OffsetDateTime attempted = row.getObject("create_attempted_at", OffsetDateTime.class);
                return Optional.of(new StoredComment(id, version, attempted == null ? null : attempted.toInstant()));
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read the comment of pull request " + pullRequest, e);
        }
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
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO pull_request_comment (provider, workspace, slug, pull_request_id, comment_id,
                            comment_version, create_attempted_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, now())
                        ON CONFLICT (provider, workspace, slug, pull_request_id) DO UPDATE SET
                            comment_id = EXCLUDED.comment_id, comment_version = EXCLUDED.comment_version,
                            create_attempted_at = EXCLUDED.create_attempted_at, updated_at = now()""")) {
            upsert.setString(1, provider.id());
            upsert.setString(2, workspace);
            upsert.setString(3, slug);
            upsert.setLong(4, pullRequest);
            if (commentId == null) {
                upsert.setNull(5, Types.BIGINT);
            } else {
                upsert.setLong(5, commentId);
            }
            if (version == null) {
                upsert.setNull(6, Types.INTEGER);
            } else {
                upsert.setInt(6, version);
            }
            if (createAttemptedAt == null) {
                upsert.setNull(7, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                upsert.setObject(7, createAttemptedAt.atOffset(ZoneOffset.UTC));
            }
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not store the comment of pull request " + pullRequest, e);
        }
    }
}
