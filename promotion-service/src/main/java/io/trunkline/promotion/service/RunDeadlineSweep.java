package io.trunkline.promotion.service;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Looks every {@code trunkline.promotion.deadline-check-interval} for deployments that deploy-service has
 * not reported on within the run deadline, and ends them FAILED (see {@link DeploymentStateMachine#giveUpOverdue}).
 * Every instance runs it; row locks and the per-environment lock keep them from deciding twice.
 */
@ApplicationScoped
public class RunDeadlineSweep {

    private static final Logger LOG = Logger.getLogger(RunDeadlineSweep.class);
    private static final int BATCH_SIZE = 100;

    private final DeploymentStateMachine stateMachine;

    public RunDeadlineSweep(DeploymentStateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    @Scheduled(every = "${trunkline.promotion.deadline-check-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void giveUpOverdue() {
        try {
            int givenUp;
            do {
                givenUp = stateMachine.giveUpOverdue(Instant.now(), BATCH_SIZE);
            } while (givenUp == BATCH_SIZE);
        } catch (RuntimeException e) {
            // a database outage: the deadlines are still there at the next check
            LOG.warnf("Run deadline check failed, trying again at the next one: %s", e.getMessage());
        }
    }
}
