package io.trunkline.status.persistence;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.RepositoryRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;

/** When each commit was first pushed ({@code commit_push}): where the lead time for changes starts. */
@ApplicationScoped
public class CommitPushes {

    private final AgroalDataSource dataSource;

    public CommitPushes(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records a push of {@code commit}; an earlier push of the same commit is kept. Idempotent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pushed(RepositoryRef repository, String commit, Instant at) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO commit_push (provider, workspace, slug, commit_hash, pushed_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT (provider, workspace, slug, commit_hash)
                        DO UPDATE SET pushed_at = LEAST(commit_push.pushed_at, EXCLUDED.pushed_at)""")) {
            insert.setString(1, repository.provider().id());
            insert.setString(2, repository.workspace());
            insert.setString(3, repository.slug());
            insert.setString(4, commit);
            insert.setObject(5, at.atOffset(ZoneOffset.UTC));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not record the push of " + commit, e);
        }
    }
}
