package io.trunkline.promotion.service;

import io.trunkline.commons.outbox.Outbox;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.Topics;
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
 * deploy-service at a time; a newer commit supersedes one still waiting. Every state change is
 * written with its event in one transaction (outbox).
 */
@ApplicationScoped
public class DeploymentStateMachine {

    private static final Logger LOG = Logger.getLogger(DeploymentStateMachine.class);

    private final Outbox outbox;
    private final EntityManager entityManager;

    public DeploymentStateMachine(Outbox outbox, EntityManager entityManager) {
        this.outbox = outbox;
        this.entityManager = entityManager;
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

    /** Applies a state reported by deploy-service; a finished deployment lets the next one run. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRunStateChanged(DeploymentStateChanged event, EnvironmentLookup environments) {
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
        deployment.state = event.state();
        deployment.reason = event.reason();
        deployment.updatedAt = Instant.now();
        if (event.state().isFinal()) {
            LOG.infof("Deployment %s of %s to %s %s", deployment.id, event.repository().fullName(),
                    event.environment(), event.state());
            environments.find(event.repository(), event.environment())
                    .ifPresent(environment -> dispatchNext(event.repository(), environment));
        }
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

    private void dispatchNext(RepositoryRef repository, EnvironmentConfiguration environment) {
        if (DeploymentEntity.running(repository.workspace(), repository.slug(), environment.name()).isPresent()) {
            return;
        }
        DeploymentEntity.waiting(repository.workspace(), repository.slug(), environment.name()).stream()
                .findFirst()
                .ifPresent(next -> {
                    next.dispatched = true;
                    next.updatedAt = Instant.now();
                    outbox.append(Topics.DEPLOY_REQUESTS, new DeploymentRequested(UUID.randomUUID(), Instant.now(),
                            next.id, repository, next.environment, next.operation, next.commit, next.branch,
                            next.tag, next.pullRequestId, next.operation == DeploymentOperation.TEARDOWN
                                    ? environment.teardown() : environment.target(), null));
                });
    }

    private void publishState(DeploymentEntity deployment) {
        outbox.append(Topics.DEPLOYMENT_STATUS, new DeploymentStateChanged(UUID.randomUUID(), Instant.now(),
                deployment.id, deployment.repository(), deployment.environment, deployment.operation,
                deployment.commit, deployment.pullRequestId, deployment.state, deployment.reason));
    }

    /** Serialises decisions about one environment across consumers and instances. */
    private void lockEnvironment(RepositoryRef repository, String environment) {
        entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext(?1))")
                .setParameter(1, repository.fullName() + "/" + environment)
                .getSingleResult();
    }

    private static String shortCommit(String commit) {
        return commit.length() > 12 ? commit.substring(0, 12) : commit;
    }

    /** The current configuration of an environment, if the repository still has it. */
    @FunctionalInterface
    public interface EnvironmentLookup {
        Optional<EnvironmentConfiguration> find(RepositoryRef repository, String environment);
    }
}
