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
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The durable queue of Bitbucket updates ({@code bitbucket_delivery}). Updates are written in the
 * transaction that records the deployment state; workers of any number of instances claim due rows
 * with {@code FOR UPDATE SKIP LOCKED}, post them outside any transaction and then settle them.
 * Plain SQL on the transaction's connection.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final int MAX_ERROR = 500;

    private final AgroalDataSource dataSource;

    public DeliveryQueue(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Queues {@code payload} for {@code target}. A pending update of the same target is replaced (its
     * revision bumped) and keeps its place and back-off: only the latest needs posting, and a rate
     * limit or an outage is not reset by news.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String kind, String target, Deployment deployment, Long pullRequestId, String payload) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO bitbucket_delivery (kind, target, deployment_id, provider, workspace, slug,
                            commit_hash, pull_request_id, payload)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (target) DO UPDATE SET
                            deployment_id = EXCLUDED.deployment_id,
                            commit_hash = EXCLUDED.commit_hash,
                            payload = EXCLUDED.payload,
                            revision = bitbucket_delivery.revision + 1,
                            updated_at = now()""")) {
            insert.setString(1, kind);
            insert.setString(2, target);
            insert.setObject(3, deployment.id);
            insert.setString(4, deployment.provider.id());
            insert.setString(5, deployment.workspace);
            insert.setString(6, deployment.slug);
            insert.setString(7, deployment.commit);
            if (pullRequestId == null) {
                insert.setNull(8, Types.BIGINT);
            } else {
                insert.setLong(8, pullRequestId);
            }
            insert.setString(9, payload);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not queue the Bitbucket update of " + target, e);
        }
    }

    /**
     * Claims up to {@code limit} due updates for {@code claim}: rows no other instance is posting, whose
     * back-off has passed and whose Bitbucket installation is not paused by a rate limit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<BitbucketDelivery> claimDue(int limit, Duration claim) {
        // one statement claims and returns them: no row is read and then written back row by row
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        WITH claimed AS (
                            UPDATE bitbucket_delivery SET claimed_until = ?
                            WHERE id IN (
                                SELECT d.id FROM bitbucket_delivery d
                                WHERE d.next_attempt_at <= now()
                                  AND (d.claimed_until IS NULL OR d.claimed_until < now())
                                  AND NOT EXISTS (SELECT 1 FROM bitbucket_pause p
                                                  WHERE p.provider = d.provider AND p.until > now())
                                ORDER BY d.next_attempt_at, d.id
                                LIMIT ?
                                FOR UPDATE OF d SKIP LOCKED)
                            RETURNING *)
                        SELECT * FROM claimed ORDER BY next_attempt_at, id""")) {
            update.setObject(1, Instant.now().plus(claim).atOffset(ZoneOffset.UTC));
            update.setInt(2, limit);
            List<BitbucketDelivery> due = new ArrayList<>();
            try (ResultSet row = update.executeQuery()) {
                while (row.next()) {
                    due.add(BitbucketDelivery.read(row));
                }
            }
            return due;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not claim due Bitbucket updates", e);
        }
    }

    /**
     * The claimed update as it is now: a newer revision that arrived since the claim (a later state of the same
     * deployment) replaces what was claimed, so that an outdated state is never posted just before the latest.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public BitbucketDelivery latest(BitbucketDelivery claimed) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT d.* FROM bitbucket_delivery d WHERE d.id = ? AND d.revision <> ?")) {
            select.setLong(1, claimed.id);
            select.setInt(2, claimed.revision);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? BitbucketDelivery.read(row) : claimed;
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read Bitbucket update " + claimed.id, e);
        }
    }

    /** Bitbucket took {@code revision}: the row is done unless a newer update arrived meanwhile, which is posted next. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delivered(long id, int revision) {
        try (Connection connection = dataSource.getConnection()) {
            int deleted;
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM bitbucket_delivery WHERE id = ? AND revision = ?")) {
                delete.setLong(1, id);
                delete.setInt(2, revision);
                deleted = delete.executeUpdate();
            }
            if (deleted == 0) {
                try (PreparedStatement update = connection.prepareStatement("""
                        UPDATE bitbucket_delivery SET claimed_until = NULL, attempts = 0, last_error = NULL,
                            next_attempt_at = now() WHERE id = ?""")) {
                    update.setLong(1, id);
                    update.executeUpdate();
                }
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not settle Bitbucket update " + id, e);
        }
    }

    /** The attempt failed for now: the row waits until {@code at} (its latest revision is posted then). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retryAt(long id, Instant at, String error) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE bitbucket_delivery SET claimed_until = NULL, attempts = attempts + 1,
                            next_attempt_at = ?, last_error = ?, updated_at = now() WHERE id = ?""")) {
            update.setObject(1, at.atOffset(ZoneOffset.UTC));
            update.setString(2, bounded(error));
            update.setLong(3, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not reschedule Bitbucket update " + id, e);
        }
    }

    /** The claim is given back untouched (the instance is stopping, or the installation got paused meanwhile). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void release(long id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE bitbucket_delivery SET claimed_until = NULL WHERE id = ?")) {
            update.setLong(1, id);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not release Bitbucket update " + id, e);
        }
    }

    /**
     * Bitbucket refused {@code revision} for good: the refusal is recorded on the deployment (the state
     * stays as it is) and the row is done, unless a newer update arrived meanwhile, which gets its own try.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refused(long id, int revision, UUID deploymentId, String reason) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE deployment SET report_refused_at = now(), report_refusal = ? WHERE id = ?")) {
            update.setString(1, bounded(reason));
            update.setObject(2, deploymentId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not record Bitbucket's refusal of deployment " + deploymentId, e);
        }
        delivered(id, revision);
    }

    /** No update goes to {@code provider}'s Bitbucket before {@code until} (a 429); an existing longer pause stays. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pause(ScmProvider provider, Instant until, String reason) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement upsert = connection.prepareStatement("""
                        INSERT INTO bitbucket_pause (provider, until, reason) VALUES (?, ?, ?)
                        ON CONFLICT (provider) DO UPDATE SET until = GREATEST(bitbucket_pause.until, EXCLUDED.until),
                            reason = EXCLUDED.reason""")) {
            upsert.setString(1, provider.id());
            upsert.setObject(2, until.atOffset(ZoneOffset.UTC));
            upsert.setString(3, bounded(reason));
            upsert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not pause updates to " + provider.id(), e);
        }
    }

    /** Updates not yet accepted by Bitbucket. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long pending() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM bitbucket_delivery");
                ResultSet row = count.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not count pending Bitbucket updates", e);
        }
    }

    private static String bounded(String text) {
        if (text == null) {
            return null;
        }
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "…" : text;
    }
}
