package io.trunkline.ingest.service;

import io.quarkus.scheduler.Scheduled;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.persistence.DatabaseUnavailableException;
import io.trunkline.ingest.persistence.RefChangeLog;
import io.trunkline.ingest.persistence.ShortTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes the ref changes older than {@code trunkline.webhook.dedupe-window}: no delivery can be a
 * repeat of them any more. Delivery ids are kept (see README).
 */
@ApplicationScoped
public class RefChangePurge {

    private static final Logger LOG = Logger.getLogger(RefChangePurge.class);

    private final RefChangeLog refChanges;
    private final ShortTransactions transactions;
    private final WebhookConfig config;

    public RefChangePurge(RefChangeLog refChanges, ShortTransactions transactions, WebhookConfig config) {
        this.refChanges = refChanges;
        this.transactions = transactions;
        this.config = config;
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void onSchedule() {
        try {
            purge(Instant.now());
        } catch (DatabaseUnavailableException e) {
            LOG.warnf("Ref changes not purged, retrying on the next run: %s", e.getMessage());
        }
    }

    /** Deletes what was claimed before {@code now} minus the window; returns how many rows. */
    public int purge(Instant now) {
        int deleted = transactions.call(() -> refChanges.purgeClaimedBefore(now.minus(config.dedupeWindow())));
        if (deleted > 0) {
            LOG.debugf("Purged %d ref changes older than %s", deleted, config.dedupeWindow());
        }
        return deleted;
    }
}
