package io.trunkline.deploy.persistence;

import static io.trunkline.commons.persistence.Timestamps.instant;
import static io.trunkline.commons.persistence.Timestamps.utc;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The deployment runs, claimed once per deployment id. A run in progress is held by a lease: an
 * owner (an instance id) and an expiry on the database's clock, which the owner renews while it
 * works; {@link #expiredLeases} lists the runs whose worker stopped.
 * <p>
 * Plain SQL on the transaction's connection: the pool hands the one enlisted in the caller's
 * transaction, so every statement commits or rolls back with it. A failed statement throws a
 * {@link DatabaseFailure} whose cause is the {@link SQLException}.
 */
@ApplicationScoped
public class DeploymentRuns {

    private final AgroalDataSource dataSource;

    public DeploymentRuns(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the deployment in the current transaction, leased to {@code owner} for {@code ttl}, unless an
     * operator cancelled it before it started, in one statement: {@link Claim#claimed()} the first time,
     * not when a run already exists (a redelivered or repeated request) or the deployment was cancelled
     * ({@link Claim#cancelReason()}, "cancelled by ..."). A concurrent claim of the same id waits on the row
     * lock until this transaction ends, then finds the row.
     *
     * @param request the request as JSON, kept so that another instance can resume or report the run
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Claim claim(UUID deploymentId, UUID eventId, String request, String owner, Duration ttl, Instant startedAt) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement("""
                        WITH cancel AS (
                            SELECT COALESCE(reason, 'cancelled by ' || COALESCE(requested_by, 'an operator')) AS reason
                            FROM deployment_cancel WHERE deployment_id = ?),
                        claimed AS (
                            INSERT INTO deployment_run (deployment_id, event_id, state, attempts, started_at, request,
                                                        lease_owner, lease_expires_at)
                            SELECT ?, ?, 'IN_PROGRESS', 0, ?, ?, ?, now() + ? * INTERVAL '1 millisecond'
                            WHERE NOT EXISTS (SELECT 1 FROM cancel)
                            ON CONFLICT DO NOTHING
                            RETURNING deployment_id)
                        SELECT EXISTS (SELECT 1 FROM claimed), (SELECT reason FROM cancel)""")) {
            claim.setObject(1, deploymentId);
            claim.setObject(2, deploymentId);
            claim.setObject(3, eventId);
            claim.setObject(4, utc(startedAt));
            claim.setString(5, request);
            claim.setString(6, owner);
            claim.setLong(7, ttl.toMillis());
            try (ResultSet row = claim.executeQuery()) {
                row.next();
                return new Claim(row.getBoolean(1), row.getString(2));
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not claim deployment " + deploymentId, e);
        }
    }

    /**
     * What {@link #claim} found.
     *
     * @param claimed      whether this claim created the run
     * @param cancelReason why an operator cancelled the deployment before it started; null when nobody did
     */
    public record Claim(boolean claimed, String cancelReason) {
    }

    /**
     * Records a deployment that ends FAILED or CANCELLED without being started; false when a run already exists.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordNotStarted(UUID deploymentId, UUID eventId, String request, DeploymentState state,
            String reason, Instant at) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO deployment_run (deployment_id, event_id, state, attempts, reason, started_at,
                                                    finished_at, request)
                        VALUES (?, ?, ?, 0, ?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""")) {
            insert.setObject(1, deploymentId);
            insert.setObject(2, eventId);
            insert.setString(3, state.name());
            insert.setString(4, reason);
            insert.setObject(5, utc(at));
            insert.setObject(6, utc(at));
            insert.setString(7, request);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not record deployment " + deploymentId + " as " + state, e);
        }
    }

    /**
     * Stores the run the target started, if {@code owner} still holds the deployment; false when it does not.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordExternalRun(UUID deploymentId, String owner, String externalId, String link) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE deployment_run SET external_id = ?, link = ?
                        WHERE deployment_id = ? AND lease_owner = ? AND state = 'IN_PROGRESS'""")) {
            update.setString(1, externalId);
            update.setString(2, link);
            update.setObject(3, deploymentId);
            update.setString(4, owner);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not store the run the target started for deployment " + deploymentId, e);
        }
    }

    /** Records an operator's cancel of a deployment; false when one was recorded already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordCancel(UUID deploymentId, UUID eventId, String requestedBy, String reason) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO deployment_cancel (deployment_id, event_id, requested_by, reason)
                        VALUES (?, ?, ?, ?)
                        ON CONFLICT DO NOTHING""")) {
            insert.setObject(1, deploymentId);
            insert.setObject(2, eventId);
            insert.setString(3, requestedBy);
            insert.setString(4, reason);
            return insert.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not record the cancel of deployment " + deploymentId, e);
        }
    }

    /** Why the deployment was cancelled ("cancelled by ..."), when an operator cancelled it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> cancelReason(UUID deploymentId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT COALESCE(reason, 'cancelled by ' || COALESCE(requested_by, 'an operator'))
                        FROM deployment_cancel WHERE deployment_id = ?""")) {
            select.setObject(1, deploymentId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read the cancel of deployment " + deploymentId, e);
        }
    }

    /**
     * Records how a run ended, if {@code owner} still holds it: empty when the run is no longer in progress
     * or another instance took it over. An expired lease that nobody took over still counts.
     *
     * @return the run as it ended, with the page of the run its target started (null when none)
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Finished> finish(UUID deploymentId, String owner, DeploymentState state, int attempts, String reason,
            Instant finishedAt) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement finish = connection.prepareStatement("""
                        UPDATE deployment_run
                        SET state = ?, attempts = ?, reason = ?, finished_at = ?
                        WHERE deployment_id = ? AND lease_owner = ? AND state = 'IN_PROGRESS'
                        RETURNING link""")) {
            finish.setString(1, state.name());
            finish.setInt(2, attempts);
            finish.setString(3, reason);
            finish.setObject(4, utc(finishedAt));
            finish.setObject(5, deploymentId);
            finish.setString(6, owner);
            try (ResultSet row = finish.executeQuery()) {
                return row.next() ? Optional.of(new Finished(row.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not record how deployment " + deploymentId + " ended", e);
        }
    }

    /** A run {@link #finish} ended; {@code link} is the page of the run its target started, null when none. */
    public record Finished(String link) {
    }

    /** Keeps the result of the run's verify checks (JSON) with it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordVerification(UUID deploymentId, String verification) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE deployment_run SET verification = CAST(? AS TEXT) WHERE deployment_id = ?")) {
            update.setString(1, verification);
            update.setObject(2, deploymentId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not record the verification of deployment " + deploymentId, e);
        }
    }

    /** Extends the lease of a run {@code owner} holds by {@code ttl} from now; false when it no longer holds it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean renew(UUID deploymentId, String owner, Duration ttl) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE deployment_run SET lease_expires_at = now() + ? * INTERVAL '1 millisecond'
                        WHERE deployment_id = ? AND lease_owner = ? AND state = 'IN_PROGRESS'""")) {
            update.setLong(1, ttl.toMillis());
            update.setObject(2, deploymentId);
            update.setString(3, owner);
            return update.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not renew the lease of deployment " + deploymentId, e);
        }
    }

    /**
     * Up to {@code limit} runs in progress whose lease has expired, oldest expiry first, locked until
     * the transaction ends; rows another instance is taking over right now are skipped.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ExpiredLease> expiredLeases(int limit) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT deployment_id, lease_owner, lease_expires_at, request, now(), external_id
                        FROM deployment_run
                        WHERE state = 'IN_PROGRESS' AND (lease_expires_at IS NULL OR lease_expires_at < now())
                        ORDER BY lease_expires_at NULLS FIRST
                        LIMIT ?
                        FOR UPDATE SKIP LOCKED""")) {
            select.setInt(1, limit);
            try (ResultSet row = select.executeQuery()) {
                List<ExpiredLease> expired = new ArrayList<>();
                while (row.next()) {
                    expired.add(new ExpiredLease(row.getObject(1, UUID.class), row.getString(2), instant(row, 3),
                            row.getString(4), instant(row, 5), row.getString(6)));
                }
                return expired;
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not list the runs whose lease expired", e);
        }
    }

    /** Moves the lease of a run locked by {@link #expiredLeases} to {@code owner}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void takeOver(UUID deploymentId, String owner, Duration ttl) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE deployment_run SET lease_owner = ?, lease_expires_at = now() + ? * INTERVAL '1 millisecond'
                        WHERE deployment_id = ?""")) {
            update.setString(1, owner);
            update.setLong(2, ttl.toMillis());
            update.setObject(3, deploymentId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not take over deployment " + deploymentId, e);
        }
    }

    /** Ends a run locked by {@link #expiredLeases} as FAILED, whoever held it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void failAbandoned(UUID deploymentId, String reason, Instant finishedAt) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE deployment_run SET state = 'FAILED', reason = ?, finished_at = ?
                        WHERE deployment_id = ? AND state = 'IN_PROGRESS'""")) {
            update.setString(1, reason);
            update.setObject(2, utc(finishedAt));
            update.setObject(3, deploymentId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not record abandoned deployment " + deploymentId + " as FAILED", e);
        }
    }

    /** The page of the run the target started (pipeline, Pulumi deployment); empty when it started none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> link(UUID deploymentId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT link FROM deployment_run WHERE deployment_id = ?")) {
            select.setObject(1, deploymentId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read the run page of deployment " + deploymentId, e);
        }
    }

    /** The run of the deployment as it is stored; empty when the deployment has none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DeploymentRun> find(UUID deploymentId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT deployment_id, event_id, state, attempts, reason, started_at, finished_at, request,
                               lease_owner, lease_expires_at, external_id, link, verification
                        FROM deployment_run WHERE deployment_id = ?""")) {
            select.setObject(1, deploymentId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new DeploymentRun(row.getObject(1, UUID.class), row.getObject(2, UUID.class),
                        DeploymentState.valueOf(row.getString(3)), row.getInt(4), row.getString(5), instant(row, 6),
                        instant(row, 7), row.getString(8), row.getString(9), instant(row, 10), row.getString(11),
                        row.getString(12), row.getString(13)));
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read the run of deployment " + deploymentId, e);
        }
    }

    /**
     * A run in progress whose lease expired.
     *
     * @param owner the instance that held it; null for none
     * @param expiredAt when the lease ended; null for none
     * @param request the request as JSON
     * @param databaseNow the database's clock when the run was read
     * @param externalId the run the target started, which a new owner follows; null when none was stored
     */
    public record ExpiredLease(UUID deploymentId, String owner, Instant expiredAt, String request, Instant databaseNow,
            String externalId) {
    }
}
