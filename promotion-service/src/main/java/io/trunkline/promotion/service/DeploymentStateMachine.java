package io.trunkline.promotion.service;

import io.trunkline.commons.outbox.Outbox;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.Topics;
import io.trunkline.promotion.config.PromotionConfig;
import io.trunkline.promotion.persistence.DeploymentEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Deployments and their states. One deployment per repository and environment is handed to
 * deploy-service at a time; a newer commit supersedes one still waiting; one that gets no news within
 * the run deadline ends FAILED; any that is not finished can be cancelled. Whatever ends the deployment
 * that holds an environment hands the environment to the next one waiting. Every state change is written
 * with its event in one transaction (outbox). Decisions about one environment are serialised across
 * consumers and instances by a PostgreSQL advisory lock per environment.
 */
@ApplicationScoped
public class DeploymentStateMachine {

    private static final Logger LOG = Logger.getLogger(DeploymentStateMachine.class);

    private final Outbox outbox;
    private final EntityManager entityManager;
    private final RepositoryConfigurations configurations;
    private final RunDeadline runDeadline;

    public DeploymentStateMachine(Outbox outbox, EntityManager entityManager, RepositoryConfigurations configurations,
            PromotionConfig config) {
        this.outbox = outbox;
        this.entityManager = entityManager;
        this.configurations = configurations;
        this.runDeadline = new RunDeadline(config.runDeadline());
    }

    /** Records a planned deployment and decides its first state. */
    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentEntity create(RepositoryRef repository, PlannedDeployment planned, Long pullRequestId) {
        EnvironmentConfiguration environment = planned.environment();
        lockEnvironment(repository, environment.name());
        DeploymentEntity deployment = new DeploymentEntity();
        deployment.id = UUID.randomUUID();
        deployment.provider = repository.provider().id();
        deployment.workspace = repository.workspace();
        deployment.slug = repository.slug();
        deployment.environment = environment.name();
        deployment.operation = DeploymentOperation.DEPLOY;
        deployment.commit = planned.commit();
        deployment.branch = planned.branch();
        deployment.tag = planned.tag();
        deployment.pullRequestId = pullRequestId;
        deployment.createdAt = Instant.now();
        deployment.updatedAt = deployment.createdAt;

        if (environment.requires() != null && !DeploymentEntity.succeeded(repository.workspace(), repository.slug(),
                environment.requires(), planned.commit())) {
            deployment.state = DeploymentState.REJECTED;
            deployment.reason = "commit " + shortCommit(planned.commit()) + " has no successful deployment in "
                    + environment.requires();
            deployment.persist();
            publishState(deployment);
            LOG.infof("Deployment %s of %s to %s rejected: %s", deployment.id, repository.fullName(),
                    environment.name(), deployment.reason);
            return deployment;
        }
        if (environment.needsApproval()) {
            deployment.state = DeploymentState.WAITING_APPROVAL;
            deployment.reason = "waiting for an operator to approve";
            deployment.persist();
            publishState(deployment);
            return deployment;
        }
        deployment.state = DeploymentState.QUEUED;
        deployment.reason = "queued for " + environment.name();
        deployment.persist();
        publishState(deployment);
        supersedeWaiting(deployment);
        dispatchNext(repository, environment);
        return deployment;
    }

    /**
     * Applies a state reported by deploy-service: news that restarts the run deadline, or the end of the
     * run, which lets the next deployment of the environment go. A finished deployment stays as it is.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRunStateChanged(DeploymentStateChanged event) {
        Optional<DeploymentEntity> found = DeploymentEntity.findByIdOptional(event.deploymentId());
        if (found.isEmpty()) {
            LOG.warnf("State %s for unknown deployment %s ignored", event.state(), event.deploymentId());
            return;
        }
        lockEnvironment(event.repository(), event.environment());
        DeploymentEntity deployment = found.get();
        entityManager.refresh(deployment);
        if (deployment.state.isFinal()) {
            return;
        }
        Instant now = Instant.now();
        deployment.state = event.state();
        deployment.reason = event.reason();
        deployment.updatedAt = now;
        deployment.newsDeadline = runDeadline.giveUpAt(deployment.state, deployment.dispatched, now);
        if (event.state().isFinal()) {
            LOG.infof("Deployment %s of %s to %s %s", deployment.id, event.repository().fullName(),
                    event.environment(), event.state());
            dispatchNext(event.repository(), event.environment());
        }
    }

    /**
     * Cancels a deployment that has not finished (QUEUED, WAITING_APPROVAL or IN_PROGRESS); the environment
     * it held goes to the next deployment waiting.
     *
     * @throws DeploymentNotFoundException when no deployment has this id
     * @throws DeploymentFinishedException when the deployment has already ended
     */
    @Transactional
    public DeploymentEntity cancel(UUID deploymentId, String reason) {
        DeploymentEntity deployment = DeploymentEntity.<DeploymentEntity>findByIdOptional(deploymentId)
                .orElseThrow(() -> new DeploymentNotFoundException(deploymentId));
        RepositoryRef repository = deployment.repository();
        lockEnvironment(repository, deployment.environment);
        entityManager.refresh(deployment);
        if (deployment.state.isFinal()) {
            throw new DeploymentFinishedException(deploymentId, deployment.state);
        }
        DeploymentState before = deployment.state;
        end(deployment, DeploymentState.CANCELLED, reason == null || reason.isBlank() ? "cancelled" : reason);
        LOG.infof("Deployment %s of %s to %s cancelled (was %s): %s", deployment.id, repository.fullName(),
                deployment.environment, before, deployment.reason);
        dispatchNext(repository, deployment.environment);
        return deployment;
    }

    /**
     * Ends FAILED up to {@code limit} deployments past their run deadline at {@code now}, each handing its
     * environment to the next deployment waiting. Safe with several instances: a deployment another
     * transaction holds, or whose environment another transaction is deciding about, is left for the next
     * check rather than waited for.
     *
     * @return how many deployments were given up
     */
    @Transactional
    public int giveUpOverdue(Instant now, int limit) {
        int givenUp = 0;
        for (DeploymentEntity deployment : DeploymentEntity.lockOverdue(now, limit)) {
            RepositoryRef repository = deployment.repository();
            if (!tryLockEnvironment(repository, deployment.environment)
                    || !runDeadline.expired(deployment.state, deployment.dispatched, deployment.newsDeadline, now)) {
                continue;
            }
            DeploymentState before = deployment.state;
            end(deployment, DeploymentState.FAILED, runDeadline.reason());
            LOG.warnf("Deployment %s of %s to %s FAILED (was %s): %s", deployment.id, repository.fullName(),
                    deployment.environment, before, deployment.reason);
            dispatchNext(repository, deployment.environment);
            givenUp++;
        }
        return givenUp;
    }

    private void end(DeploymentEntity deployment, DeploymentState state, String reason) {
        deployment.state = state;
        deployment.reason = reason;
        deployment.updatedAt = Instant.now();
        deployment.newsDeadline = null;
        publishState(deployment);
    }

    private void supersedeWaiting(DeploymentEntity newest) {
        for (DeploymentEntity older : DeploymentEntity.waiting(newest.workspace, newest.slug, newest.environment)) {
            if (!older.id.equals(newest.id)) {
                older.state = DeploymentState.SUPERSEDED;
                older.reason = "superseded by " + shortCommit(newest.commit);
                older.updatedAt = Instant.now();
                publishState(older);
            }
        }
    }

    private void dispatchNext(RepositoryRef repository, String environmentName) {
        configurations.environment(repository, environmentName)
                .ifPresent(environment -> dispatchNext(repository, environment));
    }

    private void dispatchNext(RepositoryRef repository, EnvironmentConfiguration environment) {
        if (DeploymentEntity.running(repository.workspace(), repository.slug(), environment.name()).isPresent()) {
            return;
        }
        DeploymentEntity.waiting(repository.workspace(), repository.slug(), environment.name()).stream()
                .findFirst()
                .ifPresent(next -> {
                    Instant now = Instant.now();
                    next.dispatched = true;
                    next.updatedAt = now;
                    next.newsDeadline = runDeadline.giveUpAt(next.state, true, now);
                    outbox.append(Topics.DEPLOY_REQUESTS, new DeploymentRequested(UUID.randomUUID(), now,
                            next.id, repository, next.environment, next.operation, next.commit, next.branch,
                            next.tag, next.pullRequestId, next.operation == DeploymentOperation.TEARDOWN
                                    ? environment.teardown() : environment.target(), next.newsDeadline));
                });
    }

    private void publishState(DeploymentEntity deployment) {
        outbox.append(Topics.DEPLOYMENT_STATUS, new DeploymentStateChanged(UUID.randomUUID(), Instant.now(),
                deployment.id, deployment.repository(), deployment.environment, deployment.operation,
                deployment.commit, deployment.pullRequestId, deployment.state, deployment.reason));
    }

    /** Serialises decisions about one environment across consumers and instances; waits for the lock. */
    private void lockEnvironment(RepositoryRef repository, String environment) {
        entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, environmentLockKey(repository, environment))
                .getSingleResult();
    }

    /** The same lock without waiting: false when another transaction holds it. */
    private boolean tryLockEnvironment(RepositoryRef repository, String environment) {
        return Boolean.TRUE.equals(entityManager.createNativeQuery("SELECT pg_try_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, environmentLockKey(repository, environment))
                .getSingleResult());
    }

    private static String environmentLockKey(RepositoryRef repository, String environment) {
        return repository.fullName() + "/" + environment;
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
