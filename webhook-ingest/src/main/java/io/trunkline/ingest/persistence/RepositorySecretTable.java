package io.trunkline.ingest.persistence;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.SealedSecret;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The repositories' own webhook secrets ({@code repository_secret}), sealed. */
@ApplicationScoped
public class RepositorySecretTable {

    private final AgroalDataSource dataSource;

    public RepositorySecretTable(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Keeps {@code secret} unless the repository holds a newer one; false when it was older and ignored. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean put(StoredSecret secret) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO repository_secret (workspace, slug, event_id, occurred_at, changed_at,
                                                       algorithm, key_id, nonce, ciphertext, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, now())
                        ON CONFLICT (workspace, slug) DO UPDATE SET
                            event_id = EXCLUDED.event_id, occurred_at = EXCLUDED.occurred_at,
                            changed_at = EXCLUDED.changed_at, algorithm = EXCLUDED.algorithm,
                            key_id = EXCLUDED.key_id, nonce = EXCLUDED.nonce, ciphertext = EXCLUDED.ciphertext,
                            updated_at = now()
                        WHERE repository_secret.changed_at <= EXCLUDED.changed_at""")) {
            upsert.setString(1, secret.workspace());
            upsert.setString(2, secret.slug());
            upsert.setObject(3, secret.eventId());
            upsert.setString(4, secret.occurredAt());
            upsert.setObject(5, OffsetDateTime.ofInstant(secret.occurredAtInstant(), ZoneOffset.UTC));
            upsert.setString(6, secret.sealed().algorithm());
            upsert.setString(7, secret.sealed().keyId());
            upsert.setString(8, secret.sealed().nonce());
            upsert.setString(9, secret.sealed().ciphertext());
            return upsert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the repository secrets", e);
        }
    }

    /**
     * The repository's last record could not be read: its seal is dropped, so that no secret of it is
     * used, while the time of its last readable record stays, so that an older record cannot come back.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markUnreadable(String workspace, String slug) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO repository_secret (workspace, slug, changed_at) VALUES (?, ?, '-infinity')
                        ON CONFLICT (workspace, slug) DO UPDATE SET
                            event_id = NULL, occurred_at = NULL, algorithm = NULL, key_id = NULL, nonce = NULL,
                            ciphertext = NULL, updated_at = now()""")) {
            upsert.setString(1, workspace);
            upsert.setString(2, slug);
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the repository secrets", e);
        }
    }

    /** The secrets of the repositories named {@code workspace/slug} regardless of case. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<StoredSecret> findIgnoringCase(String workspace, String slug) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT workspace, slug, event_id, occurred_at, algorithm, key_id, nonce, ciphertext
                        FROM repository_secret WHERE lower(workspace) = lower(?) AND lower(slug) = lower(?)""")) {
            select.setString(1, workspace);
            select.setString(2, slug);
            List<StoredSecret> secrets = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String algorithm = row.getString(5);
                    SealedSecret sealed = algorithm == null ? null
                            : new SealedSecret(algorithm, row.getString(6), row.getString(7), row.getString(8));
                    secrets.add(new StoredSecret(row.getString(1), row.getString(2), row.getObject(3, UUID.class),
                            row.getString(4), sealed));
                }
            }
            return secrets;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the repository secrets", e);
        }
    }
}
