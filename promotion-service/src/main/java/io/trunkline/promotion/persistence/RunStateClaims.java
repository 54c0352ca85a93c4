package io.trunkline.promotion.persistence;

import static io.trunkline.commons.persistence.Timestamps.utc;

import jakarta.persistence.EntityManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Types;
import java.time.Instant;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The first statement of applying a state deploy-service reported: it claims the event in the idempotent-consumer
 * log ({@code processed_event}, as {@code ProcessedEvents.claim} does, in the caller's transaction) together with
 * the first thing the change needs, so that a state costs one round trip more than its own writes, not three.
 * Plain JDBC: the statements are PostgreSQL's own (data-modifying {@code WITH}, advisory locks).
 */
public final class RunStateClaims {

    private static final String CLAIM = "WITH claim AS (INSERT INTO processed_event (consumer, event_id) VALUES (?, ?) "
            + "ON CONFLICT DO NOTHING RETURNING event_id) ";

    /** What {@link #claimAndRecordProgress} did. */
    public enum Progress {
        /** The event was claimed before: a redelivery, nothing changed. */
        REDELIVERED,
        /** The deployment is IN_PROGRESS now, its news deadline restarted. */
        RECORDED,
        /**
         * The event is claimed but the deployment did not change: it is unknown, ended, not handed to
         * deploy-service, or in no state that moves on to IN_PROGRESS. The caller looks at it under its
         * environment's lock.
         */
        NOT_RECORDED
    }

    private RunStateClaims() {
    }

    /**
     * Claims the event and, in the same statement, moves the deployment to IN_PROGRESS where it is handed to
     * deploy-service and not finished (QUEUED or IN_PROGRESS): its reason, its news deadline, and its run's link
     * when one is given. The row lock of the {@code UPDATE} is what serialises this with every other change of
     * the deployment (they all lock its row); no decision about the environment depends on the difference
     * between a dispatched QUEUED and IN_PROGRESS (both hold the environment), so no environment lock is taken.
     *
     * @param targetUrl the run's link; null keeps the stored one
     */
    public static Progress claimAndRecordProgress(EntityManager entityManager, String consumer, UUID eventId,
            UUID deploymentId, String reason, String targetUrl, Instant now, Instant newsDeadline) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(CLAIM + """
                    , progress AS (UPDATE deployment SET state = 'IN_PROGRESS', reason = ?, updated_at = ?,
                                          news_deadline = ?, target_url = COALESCE(?, target_url)
                                    WHERE id = ? AND dispatched AND state IN ('QUEUED', 'IN_PROGRESS')
                                      AND EXISTS (SELECT 1 FROM claim)
                                   RETURNING id)
                    SELECT EXISTS (SELECT 1 FROM claim), EXISTS (SELECT 1 FROM progress)""")) {
                statement.setString(1, consumer);
                statement.setObject(2, eventId);
                statement.setString(3, reason);
                statement.setObject(4, utc(now));
                if (newsDeadline == null) {
                    statement.setNull(5, Types.TIMESTAMP_WITH_TIMEZONE);
                } else {
                    statement.setObject(5, utc(newsDeadline));
                }
                statement.setString(6, targetUrl);
                statement.setObject(7, deploymentId);
                try (ResultSet row = statement.executeQuery()) {
                    row.next();
                    if (!row.getBoolean(1)) {
                        return Progress.REDELIVERED;
                    }
                    return row.getBoolean(2) ? Progress.RECORDED : Progress.NOT_RECORDED;
                }
            }
        });
    }

    /**
     * Claims the event and, when it is new, takes the transaction-scoped advisory lock {@code lockKey} (waiting
     * for it) in the same statement; a redelivery takes no lock.
     *
     * @return whether the event is new (and the lock held)
     */
    public static boolean claimAndLock(EntityManager entityManager, String consumer, UUID eventId, String lockKey) {
        return entityManager.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(CLAIM
                    + "SELECT pg_advisory_xact_lock(hashtext(?)) FROM claim")) {
                statement.setString(1, consumer);
                statement.setObject(2, eventId);
                statement.setString(3, lockKey);
                try (ResultSet row = statement.executeQuery()) {
                    return row.next();
                }
            }
        });
    }
}
