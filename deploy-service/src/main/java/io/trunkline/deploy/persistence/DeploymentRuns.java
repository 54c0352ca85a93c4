package io.trunkline.deploy.persistence;

import io.trunkline.events.DeploymentState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** The deployment runs, claimed once per deployment id. */
@ApplicationScoped
public class DeploymentRuns {

    private final EntityManager entityManager;

    public DeploymentRuns(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Claims the deployment in the current transaction: true the first time, false when a run
     * already exists (a redelivered or repeated request). A concurrent claim of the same id waits
     * on the row lock until this transaction ends, then finds the row.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claim(UUID deploymentId, UUID eventId, Instant startedAt) {
        return entityManager.createNativeQuery("""
                        INSERT INTO deployment_run (deployment_id, event_id, state, attempts, started_at)
                        VALUES (?1, ?2, 'IN_PROGRESS', 0, ?3) ON CONFLICT DO NOTHING""")
                .setParameter(1, deploymentId)
                .setParameter(2, eventId)
                .setParameter(3, startedAt)
                .executeUpdate() == 1;
    }

    /** Records how a claimed run ended; false when the run is not (or no longer) in progress. */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean finish(UUID deploymentId, DeploymentState state, int attempts, String reason, Instant finishedAt) {
        return entityManager.createNativeQuery("""
                        UPDATE deployment_run
                        SET state = ?2, attempts = ?3, reason = CAST(?4 AS TEXT), finished_at = ?5
                        WHERE deployment_id = ?1 AND state = 'IN_PROGRESS'""")
                .setParameter(1, deploymentId)
                .setParameter(2, state.name())
                .setParameter(3, attempts)
                .setParameter(4, reason)
                .setParameter(5, finishedAt)
                .executeUpdate() == 1;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<DeploymentRun> find(UUID deploymentId) {
        return Optional.ofNullable(entityManager.find(DeploymentRun.class, deploymentId));
    }
}
