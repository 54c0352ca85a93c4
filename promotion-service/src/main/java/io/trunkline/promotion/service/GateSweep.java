package io.trunkline.promotion.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.promotion.persistence.DeploymentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Looks every {@code trunkline.promotion.gate-check-interval} for deployments whose soak has ended or
 * whose freeze window has closed ({@code notBefore} passed) and hands them over if nothing else keeps them
 * ({@link DeploymentStateMachine#reconsider}). Every instance runs it; the per-environment lock keeps them
 * from deciding twice.
 */
@ApplicationScoped
public class GateSweep {

    private static final Logger LOG = Logger.getLogger(GateSweep.class);
    private static final int BATCH_SIZE = 100;

    private final DeploymentStateMachine stateMachine;

    public GateSweep(DeploymentStateMachine stateMachine) {
        this.stateMachine = stateMachine;
    }

    @Scheduled(every = "${trunkline.promotion.gate-check-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void releaseDue() {
        try {
            for (Object[] environment : environmentsDue(Instant.now())) {
                stateMachine.reconsider(new RepositoryRef(ScmProvider.fromId((String) environment[0]),
                        (String) environment[1], (String) environment[2]), (String) environment[3]);
            }
        } catch (RuntimeException e) {
            // a database outage: the deployments still wait at the next check
            LOG.warnf("Gate check failed, trying again at the next one: %s", e.getMessage());
        }
    }

    private static List<Object[]> environmentsDue(Instant now) {
        return QuarkusTransaction.requiringNew().call(() -> DeploymentEntity.environmentsDue(now, BATCH_SIZE));
    }
}
