package io.trunkline.ingest.persistence;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
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
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

/**
 * Per ref, the latest change a delivery claimed ({@code ref_change}): what a change reported again by
 * a second webhook is compared with. A claim is written before the event is published and marked
 * published once the broker acknowledged it; a failed publish restores the previous row.
 */
@ApplicationScoped
public class RefChangeLog {

    /** First key of the two-key advisory locks, so that they never meet the single-key locks of the outbox relay. */
    private static final int LOCK_NAMESPACE = 0x52454643; // "REFC"

    private final AgroalDataSource dataSource;

    public RefChangeLog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Serialises the deliveries touching these refs, on every instance, until the transaction ends.
     * Locks are taken in one order, so two deliveries never wait for each other in a circle.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(Collection<RefKey> refs) {
        int[] ids = refs.stream().mapToInt(RefKey::lockId).distinct().sorted().toArray();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?, ?)")) {
            for (int id : ids) {
                lock.setInt(1, LOCK_NAMESPACE);
                lock.setInt(2, id);
                lock.execute();
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the ref-change log", e);
        }
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<LastRefChange> last(RefKey ref) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT old_commit, new_commit, event_id, claimed_at, published FROM ref_change
                        WHERE provider = ? AND repository = ? AND ref_type = ? AND ref_name = ?""")) {
            bindKey(select, ref);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new LastRefChange(row.getString(1), row.getString(2), row.getObject(3, UUID.class),
                        row.getObject(4, OffsetDateTime.class).toInstant(), row.getBoolean(5)));
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the ref-change log", e);
        }
    }

    /** Makes {@code change} the ref's latest change (insert or replace). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void put(RefKey ref, LastRefChange change) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO ref_change (provider, repository, ref_type, ref_name,
                                                old_commit, new_commit, event_id, claimed_at, published)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (provider, repository, ref_type, ref_name) DO UPDATE SET
                            old_commit = EXCLUDED.old_commit, new_commit = EXCLUDED.new_commit,
                            event_id = EXCLUDED.event_id, claimed_at = EXCLUDED.claimed_at,
                            published = EXCLUDED.published""")) {
            bindKey(upsert, ref);
            setNullableString(upsert, 5, change.oldCommit());
            setNullableString(upsert, 6, change.newCommit());
            upsert.setObject(7, change.eventId());
            upsert.setObject(8, OffsetDateTime.ofInstant(change.claimedAt(), ZoneOffset.UTC));
            upsert.setBoolean(9, change.published());
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the ref-change log", e);
        }
    }

    /** Marks the ref's claim by {@code eventId} as published; nothing when another delivery claimed the ref since. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void markPublished(RefKey ref, UUID eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE ref_change SET published = true
                        WHERE provider = ? AND repository = ? AND ref_type = ? AND ref_name = ? AND event_id = ?""")) {
            bindKey(update, ref);
            update.setObject(5, eventId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the ref-change log", e);
        }
    }

    /**
     * Withdraws the unpublished claim by {@code eventId}: the ref's latest change is {@code previous} again
     * (no row when there was none). Nothing when another delivery claimed the ref since.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void withdraw(RefKey ref, UUID eventId, Optional<LastRefChange> previous) {
        Optional<LastRefChange> current = last(ref);
        if (current.isEmpty() || !current.get().eventId().equals(eventId) || current.get().published()) {
            return;
        }
        if (previous.isPresent()) {
            put(ref, previous.get());
            return;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("""
                        DELETE FROM ref_change
                        WHERE provider = ? AND repository = ? AND ref_type = ? AND ref_name = ? AND event_id = ?""")) {
            bindKey(delete, ref);
            delete.setObject(5, eventId);
            delete.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the ref-change log", e);
        }
    }

    /** Deletes the changes claimed before {@code before}; returns how many. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int purgeClaimedBefore(Instant before) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM ref_change WHERE claimed_at < ?")) {
            delete.setObject(1, OffsetDateTime.ofInstant(before, ZoneOffset.UTC));
            return delete.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the ref-change log", e);
        }
    }

    private static void bindKey(PreparedStatement statement, RefKey ref) throws SQLException {
        statement.setString(1, ref.provider().id());
        statement.setString(2, ref.repository());
        statement.setString(3, ref.refType().name());
        statement.setString(4, ref.refName());
    }

    private static void setNullableString(PreparedStatement statement, int index, String value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.VARCHAR);
        } else {
            statement.setString(index, value);
        }
    }
}
