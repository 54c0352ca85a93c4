package io.trunkline.promotion.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Looks every {@code trunkline.promotion.reconcile-check-interval} for the repositories whose reconciliation
 * is due and runs it ({@link Reconciliation#runDue}). Every instance looks; each due repository is claimed by
 * one of them.
 */
@ApplicationScoped
public class ReconcileSweep {

    private static final Logger LOG = Logger.getLogger(ReconcileSweep.class);

    private final Reconciliation reconciliation;

    public ReconcileSweep(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @Scheduled(every = "${trunkline.promotion.reconcile-check-interval}",
            delayed = "${trunkline.promotion.reconcile-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcileDue() {
        try {
            reconciliation.runDue();
        } catch (RuntimeException e) {
            // a database outage: the repositories are still due at the next check
            LOG.warnf("Reconciliation check failed, trying again at the next one: %s", e.getMessage());
        }
    }
}
