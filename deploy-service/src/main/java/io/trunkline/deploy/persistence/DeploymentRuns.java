package io.trunkline.deploy.persistence;

import io.trunkline.events.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.hibernate.Session;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * The deployment runs, claimed once per deployment id. A run in progress is held by a lease: an
 * owner (an instance id) and an expiry on the database's clock, which the owner renews while it
 * works; {@link #expiredLeases} lists the runs whose worker stopped.
 */
@ApplicationScoped
public class DeploymentRuns {

    private final EntityManager entityManager;

    public DeploymentRuns(EntityManager entityManager) {
        this.entityManager = entityManager;
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
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement claim = connection.prepareStatement("""
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
                claim.setObject(4, startedAt.atOffset(ZoneOffset.UTC));
                claim.setString(5, request);
                claim.setString(6, owner);
                claim.setLong(7, ttl.toMillis());
                try (ResultSet row = claim.executeQuery()) {
                    row.next();
                    return new Claim(row.getBoolean(1), row.getString(2));
                }
            }
        });
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
        return entityManager.createNativeQuery("""
                        INSERT INTO deployment_run (deployment_id, event_id, state, attempts, reason, started_at,
                                                    finished_at, request)
                        VALUES (?1, ?2, ?6, 0, ?3, ?4, ?4, ?5)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, deploymentId)
                .setParameter(2, eventId)
                .setParameter(3, reason)
                .setParameter(4, at)
                .setParameter(5, request)
                .setParameter(6, state.name())
                .executeUpdate() == 1;
    }

    /**
     * Stores the run the target started, if {@code owner} still holds the deployment; false when it does not.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordExternalRun(UUID deploymentId, String owner, String externalId, String link) {
        return entityManager.createNativeQuery("""
                        UPDATE deployment_run SET external_id = ?3, link = ?4
                        WHERE deployment_id = ?1 AND lease_owner = ?2 AND state = 'IN_PROGRESS'""")
                .setParameter(1, deploymentId)
                .setParameter(2, owner)
                .setParameter(3, externalId)
                .setParameter(4, link)
                .executeUpdate() == 1;
    }

    /** Records an operator's cancel of a deployment; false when one was recorded already. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean recordCancel(UUID deploymentId, UUID eventId, String requestedBy, String reason) {
        return entityManager.createNativeQuery("""
                        INSERT INTO deployment_cancel (deployment_id, event_id, requested_by, reason)
                        VALUES (?1, ?2, ?3, ?4)
                        ON CONFLICT DO NOTHING""")
                .setParameter(1, deploymentId)
                .setParameter(2, eventId)
                .setParameter(3, requestedBy)
                .setParameter(4, reason)
                .executeUpdate() == 1;
    }

    /** Why the deployment was cancelled ("cancelled by ..."), when an operator cancelled it. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> cancelReason(UUID deploymentId) {
        List<?> rows = entityManager.createNativeQuery("""
                        SELECT COALESCE(reason, 'cancelled by ' || COALESCE(requested_by, 'an operator'))
                        FROM deployment_cancel WHERE deployment_id = ?1""")
                .setParameter(1, deploymentId)
                .getResultList();
        return rows.stream().findFirst().map(String::valueOf);
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
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement finish = connection.prepareStatement("""
                    UPDATE deployment_run
                    SET state = ?, attempts = ?, reason = ?, finished_at = ?
                    WHERE deployment_id = ? AND lease_owner = ? AND state = 'IN_PROGRESS'
                    RETURNING link""")) {
                finish.setString(1, state.name());
                finish.setInt(2, attempts);
                finish.setString(3, reason);
                finish.setObject(4, finishedAt.atOffset(ZoneOffset.UTC));
                finish.setObject(5, deploymentId);
                finish.setString(6, owner);
                try (ResultSet row = finish.executeQuery()) {
                    return row.next() ? Optional.of(new Finished(row.getString(1))) : Optional.empty();
                }
            }
        });
    }

    /** A run {@link #finish} ended; {@code link} is the page of the run its target started, null when none. */
    public record Finished(String link) {
    }

    /** Keeps the result of the run's verify checks (JSON) with it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void recordVerification(UUID deploymentId, String verification) {
        entityManager.createNativeQuery("UPDATE deployment_run SET verification = CAST(?2 AS TEXT) WHERE deployment_id = ?1")
                .setParameter(1, deploymentId)
                .setParameter(2, verification)
                .executeUpdate();
    }

    /** Extends the lease of a run {@code owner} holds by {@code ttl} from now; false when it no longer holds it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean renew(UUID deploymentId, String owner, Duration ttl) {
        return entityManager.createNativeQuery("""
                        UPDATE deployment_run SET lease_expires_at = now() + ?3 * INTERVAL '1 millisecond'
                        WHERE deployment_id = ?1 AND lease_owner = ?2 AND state = 'IN_PROGRESS'""")
                .setParameter(1, deploymentId)
                .setParameter(2, owner)
                .setParameter(3, ttl.toMillis())
                .executeUpdate() == 1;
    }

    /**
     * Up to {@code limit} runs in progress whose lease has expired, oldest expiry first, locked until
     * the transaction ends; rows another instance is taking over right now are skipped.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<ExpiredLease> expiredLeases(int limit) {
        List<?> rows = entityManager.createNativeQuery("""
                        SELECT deployment_id, lease_owner, lease_expires_at, request, now(), external_id
                        FROM deployment_run
                        WHERE state = 'IN_PROGRESS' AND (lease_expires_at IS NULL OR lease_expires_at < now())
                        ORDER BY lease_expires_at NULLS FIRST
                        LIMIT ?1
                        FOR UPDATE SKIP LOCKED""")
                .setParameter(1, limit)
                .getResultList();
        return rows.stream().map(row -> {
            Object[] columns = (Object[]) row;
            return new ExpiredLease((UUID) columns[0], (String) columns[1], instant(columns[2]), (String) columns[3],
                    instant(columns[4]), (String) columns[5]);
        }).toList();
    }

    /** Moves the lease of a run locked by {@link #expiredLeases} to {@code owner}. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void takeOver(UUID deploymentId, String owner, Duration ttl) {
        entityManager.createNativeQuery("""
                        UPDATE deployment_run SET lease_owner = ?2, lease_expires_at = now() + ?3 * INTERVAL '1 millisecond'
                        WHERE deployment_id = ?1""")
                .setParameter(1, deploymentId)
                .setParameter(2, owner)
                .setParameter(3, ttl.toMillis())
                .executeUpdate();
    }

    /** Ends a run locked by {@link #expiredLeases} as FAILED, whoever held it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void failAbandoned(UUID deploymentId, String reason, Instant finishedAt) {
        entityManager.createNativeQuery("""
                        UPDATE deployment_run SET state = 'FAILED', reason = ?2, finished_at = ?3
                        WHERE deployment_id = ?1 AND state = 'IN_PROGRESS'""")
                .setParameter(1, deploymentId)
                .setParameter(2, reason)
                .setParameter(3, finishedAt)
                .executeUpdate();
    }

    /** The page of the run the target started (pipeline, Pulumi deployment); empty when it started none. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> link(UUID deploymentId) {
        List<?> rows = entityManager.createNativeQuery("SELECT link FROM deployment_run WHERE deployment_id = ?1")
                .setParameter(1, deploymentId)
                .getResultList();
        return rows.stream().filter(Objects::nonNull).findFirst().map(String::valueOf);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DeploymentRun> find(UUID deploymentId) {
        return Optional.ofNullable(entityManager.find(DeploymentRun.class, deploymentId));
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName());
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
