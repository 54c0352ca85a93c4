package io.trunkline.status.persistence;

import io.trunkline.events.ScmProvider;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The durable queue of Bitbucket updates ({@code bitbucket_delivery}). Updates are written in the
 * transaction that records the deployment state; workers of any number of instances claim due rows
 * with {@code FOR UPDATE SKIP LOCKED}, post them outside any transaction and then settle them.
 */
@ApplicationScoped
public class DeliveryQueue {

    private static final int MAX_ERROR = 500;

    private final EntityManager entityManager;

    public DeliveryQueue(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Queues {@code payload} for {@code target}. A pending update of the same target is replaced (its
     * revision bumped) and keeps its place and back-off: only the latest needs posting, and a rate
     * limit or an outage is not reset by news.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String kind, String target, Deployment deployment, Long pullRequestId, String payload) {
        entityManager.createNativeQuery("""
                        INSERT INTO bitbucket_delivery (kind, target, deployment_id, provider, workspace, slug,
                            commit_hash, pull_request_id, payload)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                        ON CONFLICT (target) DO UPDATE SET
                            deployment_id = EXCLUDED.deployment_id,
                            commit_hash = EXCLUDED.commit_hash,
                            payload = EXCLUDED.payload,
                            revision = bitbucket_delivery.revision + 1,
                            updated_at = now()""")
                .setParameter(1, kind)
                .setParameter(2, target)
                .setParameter(3, deployment.id)
                .setParameter(4, deployment.provider.id())
                .setParameter(5, deployment.workspace)
                .setParameter(6, deployment.slug)
                .setParameter(7, deployment.commit)
                .setParameter(8, pullRequestId)
                .setParameter(9, payload)
                .executeUpdate();
    }

    /**
     * Claims up to {@code limit} due updates for {@code claim}: rows no other instance is posting, whose
     * back-off has passed and whose Bitbucket installation is not paused by a rate limit.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public List<BitbucketDelivery> claimDue(int limit, Duration claim) {
        // one statement claims and returns them: no row is read and then written back row by row
        List<BitbucketDelivery> due = entityManager.createNativeQuery("""
                        WITH claimed AS (
                            UPDATE bitbucket_delivery SET claimed_until = ?2
                            WHERE id IN (
                                SELECT d.id FROM bitbucket_delivery d
                                WHERE d.next_attempt_at <= now()
                                  AND (d.claimed_until IS NULL OR d.claimed_until < now())
                                  AND NOT EXISTS (SELECT 1 FROM bitbucket_pause p
                                                  WHERE p.provider = d.provider AND p.until > now())
                                ORDER BY d.next_attempt_at, d.id
                                LIMIT ?1
                                FOR UPDATE OF d SKIP LOCKED)
                            RETURNING *)
                        SELECT * FROM claimed ORDER BY next_attempt_at, id""", BitbucketDelivery.class)
                .setParameter(1, limit)
                .setParameter(2, Instant.now().plus(claim))
                .getResultList();
        due.forEach(entityManager::detach);
        return due;
    }

    /**
     * The claimed update as it is now: a newer revision that arrived since the claim (a later state of the same
     * deployment) replaces what was claimed, so that an outdated state is never posted just before the latest.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    @SuppressWarnings("unchecked")
    public BitbucketDelivery latest(BitbucketDelivery claimed) {
        List<BitbucketDelivery> newer = entityManager.createNativeQuery(
                        "SELECT d.* FROM bitbucket_delivery d WHERE d.id = ?1 AND d.revision <> ?2", BitbucketDelivery.class)
                .setParameter(1, claimed.id)
                .setParameter(2, claimed.revision)
                .getResultList();
        if (newer.isEmpty()) {
            return claimed;
        }
        entityManager.detach(newer.get(0));
        return newer.get(0);
    }

    /** Bitbucket took {@code revision}: the row is done unless a newer update arrived meanwhile, which is posted next. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void delivered(long id, int revision) {
        int deleted = entityManager.createNativeQuery("DELETE FROM bitbucket_delivery WHERE id = ?1 AND revision = ?2")
                .setParameter(1, id)
                .setParameter(2, revision)
                .executeUpdate();
        if (deleted == 0) {
            entityManager.createNativeQuery("""
                            UPDATE bitbucket_delivery SET claimed_until = NULL, attempts = 0, last_error = NULL,
                                next_attempt_at = now() WHERE id = ?1""")
                    .setParameter(1, id)
                    .executeUpdate();
        }
    }

    /** The attempt failed for now: the row waits until {@code at} (its latest revision is posted then). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void retryAt(long id, Instant at, String error) {
        entityManager.createNativeQuery("""
                        UPDATE bitbucket_delivery SET claimed_until = NULL, attempts = attempts + 1,
                            next_attempt_at = ?2, last_error = ?3, updated_at = now() WHERE id = ?1""")
                .setParameter(1, id)
                .setParameter(2, at)
                .setParameter(3, bounded(error))
                .executeUpdate();
    }

    /** The claim is given back untouched (the instance is stopping, or the installation got paused meanwhile). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void release(long id) {
        entityManager.createNativeQuery("UPDATE bitbucket_delivery SET claimed_until = NULL WHERE id = ?1")
                .setParameter(1, id)
                .executeUpdate();
    }

    /**
     * Bitbucket refused {@code revision} for good: the refusal is recorded on the deployment (the state
     * stays as it is) and the row is done, unless a newer update arrived meanwhile, which gets its own try.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void refused(long id, int revision, UUID deploymentId, String reason) {
        entityManager.createNativeQuery("""
                        UPDATE deployment SET report_refused_at = now(), report_refusal = ?2 WHERE id = ?1""")
                .setParameter(1, deploymentId)
                .setParameter(2, bounded(reason))
                .executeUpdate();
        delivered(id, revision);
    }

    /** No update goes to {@code provider}'s Bitbucket before {@code until} (a 429); an existing longer pause stays. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pause(ScmProvider provider, Instant until, String reason) {
        entityManager.createNativeQuery("""
                        INSERT INTO bitbucket_pause (provider, until, reason) VALUES (?1, ?2, ?3)
                        ON CONFLICT (provider) DO UPDATE SET until = GREATEST(bitbucket_pause.until, EXCLUDED.until),
                            reason = EXCLUDED.reason""")
                .setParameter(1, provider.id())
                .setParameter(2, until)
                .setParameter(3, bounded(reason))
                .executeUpdate();
    }

    /** Updates not yet accepted by Bitbucket. */
    @Transactional(Transactional.TxType.MANDATORY)
    public long pending() {
        return ((Number) entityManager.createNativeQuery("SELECT count(*) FROM bitbucket_delivery").getSingleResult())
                .longValue();
    }

    private static String bounded(String text) {
        if (text == null) {
            return null;
        }
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "…" : text;
    }
}
