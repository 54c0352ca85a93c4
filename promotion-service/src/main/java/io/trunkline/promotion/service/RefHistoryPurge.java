package io.trunkline.promotion.service;

import io.quarkus.scheduler.Scheduled;
import io.trunkline.promotion.config.PromotionConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes ref history older than {@code trunkline.promotion.ref-history-retention}: recorded ref changes,
 * and the heads of refs deleted that long ago. The heads of existing refs stay: they are the current state.
 */
@ApplicationScoped
public class RefHistoryPurge {

    private static final Logger LOG = Logger.getLogger(RefHistoryPurge.class);

    private final EntityManager entityManager;
    private final PromotionConfig config;

    public RefHistoryPurge(EntityManager entityManager, PromotionConfig config) {
        this.entityManager = entityManager;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        Instant cutoff = Instant.now().minus(config.promotion().refHistoryRetention());
        int changes = entityManager.createNativeQuery("DELETE FROM ref_change WHERE recorded_at < ?1")
                .setParameter(1, cutoff)
                .executeUpdate();
        int heads = entityManager.createNativeQuery("DELETE FROM ref_head WHERE head_commit IS NULL AND updated_at < ?1")
                .setParameter(1, cutoff)
                .executeUpdate();
        if (changes + heads > 0) {
            LOG.infof("Purged %d ref changes and %d deleted refs older than %s", changes, heads,
                    DurationText.of(config.promotion().refHistoryRetention()));
        }
    }
}
