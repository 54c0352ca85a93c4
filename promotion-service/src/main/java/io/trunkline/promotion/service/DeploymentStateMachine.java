package io.trunkline.promotion.service;

import io.trunkline.commons.outbox.Outbox;
import io.trunkline.events.DeploymentCancelRequested;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.TemplatePlaceholders;
import io.trunkline.events.Topics;
import io.trunkline.promotion.config.PromotionConfig;
import io.trunkline.promotion.persistence.DeploymentEntity;
import io.trunkline.promotion.persistence.EnvironmentHoldEntity;
import io.trunkline.promotion.persistence.RunStateClaims;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Deployments and their states. One deployment per repository and environment is handed to
 * deploy-service at a time; a newer commit supersedes one still waiting; one that gets no news within
 * the run deadline ends FAILED; any that is not finished can be cancelled; one waiting for approval goes
 * on when an operator approves it; a rollback holds its environment until an operator releases it.
 * Whatever ends the deployment that holds an environment hands the environment to the next one waiting
 * that its gates let through. Every state change is written with its event in one transaction (outbox).
 * Decisions about one environment are serialised across consumers and instances by a PostgreSQL advisory
 * lock per environment. A deployment's row is locked by whatever changes it once it is handed to
 * deploy-service (an operator's command, the run deadline, the states deploy-service reports): IN_PROGRESS,
 * which decides nothing about the environment, is recorded under the row's lock alone.
 */
@ApplicationScoped
public class DeploymentStateMachine {

    private static final Logger LOG = Logger.getLogger(DeploymentStateMachine.class);
    /** Who asks for an automatic rollback ({@code "onFailure": "rollback"}): the deployment's requester and hold. */
    static final String AUTOMATIC_ROLLBACK = "trunkline (onFailure: rollback)";

    private final Outbox outbox;
    private final EntityManager entityManager;
    private final RepositoryConfigurations configurations;
    private final RunDeadline runDeadline;

    public DeploymentStateMachine(Outbox outbox, EntityManager entityManager, RepositoryConfigurations configurations,
            PromotionConfig config) {
        this.outbox = outbox;
        this.entityManager = entityManager;
        this.configurations = configurations;
        this.runDeadline = new RunDeadline(config.promotion().runDeadline());
    }

    /** Records a deployment the rules planned for a push and decides its first state. */
    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentEntity create(RepositoryRef repository, PlannedDeployment planned, String triggeredBy) {
        return create(repository, planned, planned.environment().name(), null, triggeredBy);
    }

    /**
     * Records a deployment the rules planned and decides its first state: REJECTED when the commit has not
     * succeeded where {@code requires} says, WAITING_APPROVAL where an operator approves, else QUEUED.
     *
     * @param environmentName the deployment's environment: the configured one, or a pull request's own
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentEntity create(RepositoryRef repository, PlannedDeployment planned, String environmentName,
            Long pullRequestId, String triggeredBy) {
        EnvironmentConfiguration environment = planned.environment();
        lockEnvironment(repository, environmentName);
        DeploymentEntity deployment = newDeployment(repository, environment, environmentName, DeploymentOperation.DEPLOY,
                planned.commit(), planned.branch(), planned.tag(), pullRequestId, triggeredBy);

        if (environment.requires() != null
                && !DeploymentEntity.succeeded(repository, environment.requires(), planned.commit())) {
            return rejected(deployment, "commit " + Commits.shortened(planned.commit())
                    + " has no successful deployment in " + environment.requires());
        }
        if (environment.needsApproval()) {
            deployment.state = DeploymentState.WAITING_APPROVAL;
            deployment.reason = "waiting for an operator to approve";
            deployment.persist();
            supersedeOlder(deployment, environment, DeploymentEntity.unfinished(repository, environmentName));
            publishState(deployment);
            return deployment;
        }
        deployment.reason = "queued for " + environmentName;
        return enqueue(repository, deployment, environment);
    }

    /** Records a deployment that cannot be made, REJECTED with the reason (a fork's pull request, an unknown commit). */
    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentEntity reject(RepositoryRef repository, PlannedDeployment planned, String environmentName,
            Long pullRequestId, String triggeredBy, String reason) {
        lockEnvironment(repository, environmentName);
        return rejected(newDeployment(repository, planned.environment(), environmentName, DeploymentOperation.DEPLOY,
                planned.commit(), planned.branch(), planned.tag(), pullRequestId, triggeredBy), reason);
    }

    /**
     * Ends a pull request's environment: deployments of it not handed over yet are superseded, and where one
     * was ever handed to deploy-service and the environment has a {@code teardown} target, a TEARDOWN
     * deployment of {@code commit} is queued (after a deployment still running there).
     *
     * @return the teardown deployment; empty when there is nothing to tear down
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<DeploymentEntity> tearDown(RepositoryRef repository, EnvironmentConfiguration environment,
            String environmentName, String commit, String branch, Long pullRequestId, String triggeredBy,
            String reason) {
        lockEnvironment(repository, environmentName);
        DeploymentEntity teardown = newDeployment(repository, environment, environmentName,
                DeploymentOperation.TEARDOWN, commit, branch, null, pullRequestId, triggeredBy);
        teardown.environmentUrl = null;
        for (DeploymentEntity waiting : DeploymentEntity.undispatched(repository, environmentName)) {
            move(waiting, DeploymentState.SUPERSEDED, reason + ": not deployed", null);
        }
        if (!DeploymentEntity.everDispatched(repository, environmentName)) {
            LOG.infof("%s of %s: never deployed, nothing to tear down (%s)", environmentName, repository.fullName(),
                    reason);
            return Optional.empty();
        }
        if (environment.teardown() == null) {
            LOG.infof("%s of %s: no teardown target configured, nothing to run (%s)", environmentName,
                    repository.fullName(), reason);
            return Optional.empty();
        }
        teardown.reason = reason + ": tearing down " + environmentName;
        LOG.infof("Deployment %s of %s: %s", teardown.id, repository.fullName(), teardown.reason);
        return Optional.of(enqueue(repository, teardown, environment));
    }

    /**
     * Redeploys a commit that once succeeded in the environment, at an operator's request: a rollback when
     * it is not the commit the environment runs now, which holds the environment (see {@link #release}).
     * Neither {@code requires} nor approval applies: the commit passed them before and an operator asks.
     *
     * @param commitPrefix the full hash, or at least 7 hexadecimal characters of it
     * @throws CommandRefusedException when no commit, or more than one, that succeeded there matches
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentEntity redeploy(RepositoryRef repository, EnvironmentConfiguration environment, String commitPrefix,
            String subject) {
        lockEnvironment(repository, environment.name());
        List<DeploymentEntity> matches = DeploymentEntity.succeededWithPrefix(repository, environment.name(),
                commitPrefix);
        if (matches.isEmpty()) {
            throw new CommandRefusedException("commit-never-succeeded", "Commit " + commitPrefix
                    + " never deployed successfully to " + environment.name() + " of " + repository.fullName()
                    + ": only a commit that once SUCCEEDED there can be redeployed.");
        }
        if (matches.stream().map(match -> match.commit).distinct().count() > 1) {
            throw new CommandRefusedException("ambiguous-commit", "Commit " + commitPrefix + " matches "
                    + matches.stream().map(match -> Commits.shortened(match.commit)).distinct().toList()
                    + " in " + environment.name() + ": give more of the hash.");
        }
        DeploymentEntity source = matches.get(0);
        String current = DeploymentEntity.current(repository, environment.name()).map(latest -> latest.commit)
                .orElse(null);
        boolean rollback = !source.commit.equals(current);
        DeploymentEntity deployment = newDeployment(repository, environment, environment.name(),
                DeploymentOperation.DEPLOY, source.commit, source.branch, source.tag, null, subject);
        deployment.requestedBy = subject;
        deployment.reason = (rollback ? "rollback to " : "redeploy of ") + Commits.shortened(source.commit)
                + " requested by " + subject;
        if (rollback) {
            hold(repository, environment.name(), deployment, subject);
        }
        LOG.infof("Deployment %s of %s to %s: %s", deployment.id, repository.fullName(), environment.name(),
                deployment.reason);
        return enqueue(repository, deployment, environment);
    }

    /**
     * Lets a deployment waiting for approval go on: it is QUEUED and handed to deploy-service when its turn
     * comes and its gates let it through.
     *
     * @throws DeploymentNotFoundException when no deployment has this id
     * @throws DeploymentFinishedException when the deployment has already ended
     * @param memberships the caller's roles and groups, checked against the environment's {@code approvers}
     * @throws CommandRefusedException when it does not wait for approval
     * @throws ApprovalNotAllowedException when the environment lists approvers and the caller is none of them
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentEntity approve(UUID deploymentId, String subject, Set<String> memberships) {
        DeploymentEntity deployment = lockDeployment(deploymentId);
        if (deployment.state != DeploymentState.WAITING_APPROVAL) {
            throw new CommandRefusedException("not-waiting-for-approval", "Deployment " + deploymentId + " is "
                    + deployment.state + ": it is not waiting for approval.");
        }
        RepositoryRef repository = deployment.repository();
        Optional<EnvironmentConfiguration> configured = environmentOf(repository, deployment.environment);
        if (configured.isPresent() && !configured.get().approvableBy(memberships)) {
            throw new ApprovalNotAllowedException("Deployments to " + deployment.environment + " of "
                    + repository.fullName() + " may be approved only by " + String.join(", ",
                    configured.get().approvers()) + "; " + subject + " has none of these roles or groups.");
        }
        deployment.approvedBy = subject;
        DeploymentTransitions.check(deployment.state, DeploymentState.QUEUED);
        deployment.state = DeploymentState.QUEUED;
        deployment.reason = "approved by " + subject;
        deployment.updatedAt = Instant.now();
        LOG.infof("Deployment %s of %s to %s approved by %s", deployment.id, repository.fullName(),
                deployment.environment, subject);
        if (configured.isEmpty()) {
            publishState(deployment); // the environment left the configuration: it waits, as its peers do
            return deployment;
        }
        dispatchNext(repository, configured.get(), deployment.environment, deployment);
        return deployment;
    }

    /**
     * Lets a deployment that has not been handed over yet (waiting for approval or for its turn) through
     * the environment's freeze windows; its other gates still apply.
     *
     * @throws DeploymentNotFoundException when no deployment has this id
     * @throws DeploymentFinishedException when the deployment has already ended
     * @throws CommandRefusedException when it was already handed to deploy-service
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public DeploymentEntity overrideFreeze(UUID deploymentId, String subject, String reason) {
        DeploymentEntity deployment = lockDeployment(deploymentId);
        if (deployment.dispatched) {
            throw new CommandRefusedException("already-dispatched", "Deployment " + deploymentId + " was already "
                    + "handed to deploy-service: no freeze keeps it.");
        }
        deployment.freezeOverride = "freeze overridden by " + subject + ": " + reason.strip();
        if (deployment.state == DeploymentState.QUEUED) {
            changeReason(deployment, deployment.freezeOverride, null);
            RepositoryRef repository = deployment.repository();
            environmentOf(repository, deployment.environment).ifPresent(environment ->
                    dispatchNext(repository, environment, deployment.environment, null));
        }
        LOG.infof("Deployment %s of %s to %s: %s", deployment.id, deployment.repository().fullName(),
                deployment.environment, deployment.freezeOverride);
        return deployment;
    }

    /**
     * Looks again at the environment's waiting deployments once a gate's time has come (a soak ended, a
     * freeze window closed); an environment another transaction is deciding about is left for the next look.
     *
     * @return whether it was looked at
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean reconsider(RepositoryRef repository, String environment) {
        if (!tryLockEnvironment(repository, environment)) {
            return false;
        }
        dispatchNext(repository, environment);
        return true;
    }

    /**
     * Cancels a deployment that has not finished. One not handed to deploy-service yet (waiting for approval
     * or for its turn) ends CANCELLED at once. One deploy-service has (QUEUED once dispatched, or
     * IN_PROGRESS) is asked to stop ({@link DeploymentCancelRequested}) and keeps its environment until
     * deploy-service reports the end of the run: then it ends CANCELLED, so that two runs never overlap in
     * one environment. Cancelling it again changes nothing.
     *
     * @param reason why, for people; may be null
     * @throws DeploymentNotFoundException when no deployment has this id
     * @throws DeploymentFinishedException when the deployment has already ended
     */
    @Transactional
    public DeploymentEntity cancel(UUID deploymentId, String subject, String reason) {
        DeploymentEntity deployment = lockDeployment(deploymentId);
        RepositoryRef repository = deployment.repository();
        String text = "cancelled by " + subject + (reason == null || reason.isBlank() ? "" : ": " + reason.strip());
        if (deployment.dispatched) {
            if (deployment.cancelReason == null) {
                deployment.cancelReason = text;
                deployment.updatedAt = Instant.now();
                outbox.append(Topics.DEPLOY_REQUESTS, new DeploymentCancelRequested(UUID.randomUUID(), Instant.now(),
                        deployment.id, repository, deployment.environment, subject, text));
                LOG.infof("Deployment %s of %s to %s (%s): deploy-service asked to stop it, %s", deployment.id,
                        repository.fullName(), deployment.environment, deployment.state, text);
            }
            return deployment;
        }
        DeploymentState before = deployment.state;
        end(deployment, DeploymentState.CANCELLED, text);
        LOG.infof("Deployment %s of %s to %s cancelled (was %s): %s", deployment.id, repository.fullName(),
                deployment.environment, before, deployment.reason);
        dispatchNext(repository, deployment.environment);
        return deployment;
    }

    /**
     * Ends the hold a rollback placed on the environment: the deployments the rules planned meanwhile go on,
     * oldest first (or only the newest, where newer commits supersede).
     *
     * @return the hold that ended
     * @throws CommandRefusedException when the environment is not held
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public EnvironmentHoldEntity release(RepositoryRef repository, EnvironmentConfiguration environment) {
        lockEnvironment(repository, environment.name());
        EnvironmentHoldEntity hold = EnvironmentHoldEntity.find(repository, environment.name())
                .orElseThrow(() -> new CommandRefusedException("environment-not-held", "Environment "
                        + environment.name() + " of " + repository.fullName() + " is not held."));
        hold.delete();
        entityManager.flush();
        LOG.infof("Environment %s of %s released (held since %s by %s)", environment.name(), repository.fullName(),
                hold.heldAt, hold.heldBy);
        dispatchNext(repository, environment, environment.name(), null);
        return hold;
    }

    /** The hold on an environment, if it is held. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<EnvironmentHoldEntity> holdOf(RepositoryRef repository, String environment) {
        return EnvironmentHoldEntity.find(repository, environment);
    }

    /**
     * Applies a state reported by deploy-service, once per event ({@code consumer} claims it here, in the
     * statement that does the first read or write of the change): news that restarts the run deadline, or the
     * end of the run, which lets the next deployment of the environment go. A finished deployment stays as it
     * is; one an operator cancelled ends CANCELLED whatever the run's outcome. The link of the run the target
     * started is kept, and named on the states this service publishes afterwards.
     * <p>
     * IN_PROGRESS, the news of a deployment handed over, is one statement that locks the deployment's row
     * ({@link RunStateClaims#claimAndRecordProgress}): it changes no decision about the environment. The end of
     * a run takes the environment's lock with the claim, then locks the environment's unfinished deployments
     * (the reported one among them) in one read, and looks for the next one only when one is waiting.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void onRunStateChanged(String consumer, DeploymentStateChanged event) {
        RepositoryRef repository = event.repository();
        Instant now = Instant.now();
        List<DeploymentEntity> unfinished = null;
        DeploymentEntity deployment;
        if (event.state() == DeploymentState.IN_PROGRESS) {
            RunStateClaims.Progress progress = RunStateClaims.claimAndRecordProgress(entityManager, consumer,
                    event.eventId(), event.deploymentId(), event.reason(), targetUrl(event), now,
                    runDeadline.giveUpAt(DeploymentState.IN_PROGRESS, true, now));
            if (progress != RunStateClaims.Progress.NOT_RECORDED) {
                return;
            }
            lockEnvironment(repository, event.environment());
            deployment = DeploymentEntity.findById(event.deploymentId(), LockModeType.PESSIMISTIC_WRITE);
        } else {
            if (!RunStateClaims.claimAndLock(entityManager, consumer, event.eventId(),
                    environmentLockKey(repository, event.environment()))) {
                return;
            }
            unfinished = DeploymentEntity.lockUnfinished(repository, event.environment());
            deployment = unfinished.stream().filter(candidate -> candidate.id.equals(event.deploymentId()))
                    .findFirst()
                    .orElseGet(() -> DeploymentEntity.findById(event.deploymentId(), LockModeType.PESSIMISTIC_WRITE));
        }
        if (deployment == null) {
            LOG.warnf("State %s for unknown deployment %s ignored", event.state(), event.deploymentId());
            return;
        }
        if (deployment.state.isFinal()) {
            return;
        }
        if (event.state() != deployment.state && !DeploymentTransitions.allowed(deployment.state, event.state())) {
            LOG.warnf("Deployment %s of %s to %s is %s: state %s reported for it ignored", deployment.id,
                    repository.fullName(), event.environment(), deployment.state, event.state());
            return;
        }
        if (targetUrl(event) != null) {
            deployment.targetUrl = event.targetUrl();
        }
        if (event.state().isFinal() && deployment.cancelReason != null) {
            if (event.state() == DeploymentState.CANCELLED) {
                deployment.state = DeploymentState.CANCELLED;
                deployment.reason = deployment.cancelReason;
                deployment.updatedAt = now;
                deployment.newsDeadline = null;
            } else {
                // deploy-service reported the run's own end: the state this service publishes is the cancel
                end(deployment, DeploymentState.CANCELLED, deployment.cancelReason + " (the run ended "
                        + event.state() + " before it could be stopped)");
            }
        } else {
            deployment.state = event.state();
            deployment.reason = event.reason();
            deployment.updatedAt = now;
            deployment.newsDeadline = runDeadline.giveUpAt(deployment.state, deployment.dispatched, now);
        }
        if (deployment.state.isFinal()) {
            LOG.infof("Deployment %s of %s to %s %s", deployment.id, repository.fullName(),
                    event.environment(), deployment.state);
            if (deployment.state == DeploymentState.FAILED && event.verification() != null
                    && event.verification().failed() && rollBackAfterFailedVerification(deployment, event)) {
                return; // the rollback was queued, and the environment handed on, by enqueue
            }
            if (unfinished == null || !unfinished.contains(deployment)) {
                dispatchNext(repository, event.environment());
            } else if (!DeploymentEntity.waiting(unfinished).isEmpty()) {
                // the environment's deployments as locked above, the ended one among them: nothing to hand on
                // (and no configuration or hold to read) unless one waits
                List<DeploymentEntity> locked = unfinished;
                environmentOf(repository, event.environment()).ifPresent(environment ->
                        dispatchNext(repository, environment, event.environment(), null, locked));
            }
        }
    }

    /** The link of the run the target started, as the event reports it; null when it names none. */
    private static String targetUrl(DeploymentStateChanged event) {
        return event.targetUrl() == null || event.targetUrl().isBlank() ? null : event.targetUrl();
    }

    /**
     * {@code "onFailure": "rollback"}: a deployment the rules planned whose {@code verify} checks failed is
     * followed by a rollback to the environment's previous successful commit, with the same hold as an
     * operator's rollback (the environment takes no other deployment until an operator releases it). Not for
     * a deployment an operator asked for (a rollback whose checks fail again is not rolled back in turn),
     * nor when nothing else ever succeeded there.
     *
     * @return whether a rollback was queued
     */
    private boolean rollBackAfterFailedVerification(DeploymentEntity failed, DeploymentStateChanged event) {
        if (failed.operation != DeploymentOperation.DEPLOY || failed.requestedByOperator()) {
            return false;
        }
        RepositoryRef repository = failed.repository();
        Optional<EnvironmentConfiguration> environment = environmentOf(repository, failed.environment)
                .filter(EnvironmentConfiguration::rollsBackOnFailedVerification)
                .filter(configured -> configured.name().equals(failed.environment));
        if (environment.isEmpty()) {
            return false;
        }
        Optional<DeploymentEntity> previous = DeploymentEntity.current(repository, failed.environment);
        if (previous.isEmpty() || previous.get().commit.equals(failed.commit)) {
            LOG.warnf("Deployment %s of %s to %s: verification failed (%s), and no other commit ever succeeded there:"
                    + " nothing to roll back to", failed.id, repository.fullName(), failed.environment,
                    event.verification().failedCheck());
            return false;
        }
        DeploymentEntity source = previous.get();
        DeploymentEntity rollback = newDeployment(repository, environment.get(), failed.environment,
                DeploymentOperation.DEPLOY, source.commit, source.branch, source.tag, null, AUTOMATIC_ROLLBACK);
        rollback.requestedBy = AUTOMATIC_ROLLBACK;
        rollback.reason = "rollback to " + Commits.shortened(source.commit) + ": verification of "
                + Commits.shortened(failed.commit) + " failed (" + event.verification().failedCheck() + ")";
        hold(repository, failed.environment, rollback, AUTOMATIC_ROLLBACK);
        LOG.infof("Deployment %s of %s to %s: %s; the environment is held until an operator releases it", rollback.id,
                repository.fullName(), failed.environment, rollback.reason);
        enqueue(repository, rollback, environment.get());
        return true;
    }

    /**
     * Ends FAILED up to {@code limit} deployments past their run deadline at {@code now} (CANCELLED where an
     * operator had cancelled them), each handing its environment to the next deployment waiting. Safe with
     * several instances: a deployment another transaction holds, or whose environment another transaction is
     * deciding about, is left for the next check rather than waited for.
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
            if (deployment.cancelReason != null) {
                end(deployment, DeploymentState.CANCELLED, deployment.cancelReason + " (" + runDeadline.reason() + ")");
            } else {
                end(deployment, DeploymentState.FAILED, runDeadline.reason());
            }
            LOG.warnf("Deployment %s of %s to %s %s (was %s): %s", deployment.id, repository.fullName(),
                    deployment.environment, deployment.state, before, deployment.reason);
            dispatchNext(repository, deployment.environment);
            givenUp++;
        }
        return givenUp;
    }

    private DeploymentEntity newDeployment(RepositoryRef repository, EnvironmentConfiguration configured,
            String environment, DeploymentOperation operation, String commit, String branch, String tag,
            Long pullRequestId, String triggeredBy) {
        DeploymentEntity deployment = new DeploymentEntity();
        deployment.id = UUID.randomUUID();
        deployment.provider = repository.provider().id();
        deployment.workspace = repository.workspace();
        deployment.slug = repository.slug();
        deployment.environment = environment;
        deployment.operation = operation;
        deployment.commit = commit;
        deployment.branch = branch;
        deployment.tag = tag;
        deployment.pullRequestId = pullRequestId;
        deployment.triggeredBy = triggeredBy;
        deployment.environmentUrl = environmentUrl(configured, TemplatePlaceholders.values(repository, environment,
                commit, branch, tag, pullRequestId, deployment.id.toString()));
        deployment.createdAt = Instant.now();
        deployment.updatedAt = deployment.createdAt;
        return deployment;
    }

    /** The environment's {@code url} expanded; null without one (or with a placeholder the validator did not know then). */
    private static String environmentUrl(EnvironmentConfiguration configured, Map<String, String> values) {
        if (configured.url() == null) {
            return null;
        }
        try {
            return TemplatePlaceholders.expandUrl(configured.url(), values);
        } catch (IllegalArgumentException e) {
            LOG.warnf("Environment %s: url not expanded, %s", configured.name(), e.getMessage());
            return null;
        }
    }

    private DeploymentEntity rejected(DeploymentEntity deployment, String reason) {
        deployment.state = DeploymentState.REJECTED;
        deployment.reason = reason;
        deployment.persist();
        publishState(deployment);
        LOG.infof("Deployment %s of %s to %s rejected: %s", deployment.id, deployment.repository().fullName(),
                deployment.environment, reason);
        return deployment;
    }

    /** Queues a new deployment (its reason set): it supersedes older ones and goes at once if nothing stops it. */
    private DeploymentEntity enqueue(RepositoryRef repository, DeploymentEntity deployment,
            EnvironmentConfiguration environment) {
        // one query for the environment's deployments; the new one is persisted once dispatchNext has decided what
        // becomes of it, so that its row is written once (handed over or waiting), not inserted and then updated
        List<DeploymentEntity> unfinished = new ArrayList<>(DeploymentEntity.unfinished(repository,
                deployment.environment));
        deployment.state = DeploymentState.QUEUED;
        unfinished.add(deployment);
        supersedeOlder(deployment, environment, unfinished);
        dispatchNext(repository, environment, deployment.environment, deployment, unfinished);
        return deployment;
    }

    /** The deployment, its environment locked and its row fresh; refuses an unknown or ended one. */
    private DeploymentEntity lockDeployment(UUID deploymentId) {
        DeploymentEntity deployment = DeploymentEntity.<DeploymentEntity>findByIdOptional(deploymentId)
                .orElseThrow(() -> new DeploymentNotFoundException(deploymentId));
        lockEnvironment(deployment.repository(), deployment.environment);
        // its row locked too: IN_PROGRESS is recorded under the row's lock alone (onRunStateChanged)
        entityManager.refresh(deployment, LockModeType.PESSIMISTIC_WRITE);
        if (deployment.state.isFinal()) {
            throw new DeploymentFinishedException(deploymentId, deployment.state);
        }
        return deployment;
    }

    private void hold(RepositoryRef repository, String environment, DeploymentEntity rollback, String subject) {
        EnvironmentHoldEntity hold = EnvironmentHoldEntity.find(repository, environment).orElseGet(() -> {
            EnvironmentHoldEntity created = new EnvironmentHoldEntity();
            created.provider = repository.provider().id();
            created.workspace = repository.workspace();
            created.slug = repository.slug();
            created.environment = environment;
            return created;
        });
        hold.deploymentId = rollback.id;
        hold.commit = rollback.commit;
        hold.heldBy = subject;
        hold.heldAt = Instant.now();
        if (!hold.isPersistent()) {
            hold.persist();
        }
    }

    private void end(DeploymentEntity deployment, DeploymentState state, String reason) {
        move(deployment, state, reason, null);
    }

    /**
     * Changes the deployment's state ({@link DeploymentTransitions} says whether it may) and publishes it,
     * unless it is {@code fresh}: a deployment created in this transaction, published once at the end.
     */
    private void move(DeploymentEntity deployment, DeploymentState state, String reason, DeploymentEntity fresh) {
        DeploymentTransitions.check(deployment.state, state);
        deployment.state = state;
        deployment.reason = reason;
        deployment.updatedAt = Instant.now();
        if (state.isFinal()) {
            deployment.newsDeadline = null;
            deployment.notBefore = null;
        }
        if (fresh == null || !deployment.id.equals(fresh.id)) {
            publishState(deployment);
        }
    }

    /** Ends the older deployments of the environment not handed over yet that the newest supersedes ({@link SupersedeRule}). */
    private void supersedeOlder(DeploymentEntity newest, EnvironmentConfiguration environment,
            List<DeploymentEntity> unfinished) {
        for (DeploymentEntity older : DeploymentEntity.undispatched(unfinished)) {
            if (older.id.equals(newest.id) || !SupersedeRule.supersedes(environment, newest.operation,
                    newest.requestedByOperator(), older.requestedByOperator())) {
                continue;
            }
            move(older, DeploymentState.SUPERSEDED, "superseded by " + Commits.shortened(newest.commit), null);
        }
    }

    private Optional<EnvironmentConfiguration> environmentOf(RepositoryRef repository, String environment) {
        return configurations.environment(repository, PreviewEnvironments.configured(environment));
    }

    private void dispatchNext(RepositoryRef repository, String environmentName) {
        environmentOf(repository, environmentName)
                .ifPresent(environment -> dispatchNext(repository, environment, environmentName, null));
    }

    /**
     * Hands the next deployment waiting in the environment to deploy-service, unless one is running there
     * or its gates ({@link DispatchGates}: hold, soak, freeze) keep it waiting; deployments that wait are
     * told why (their reason changes) and when their gates are looked at again ({@code notBefore}); one whose
     * soak can no longer be met is rejected. Operators' deployments go first; then the rules' deployments in
     * order, the first that must wait keeping those behind it waiting. {@code fresh}, when given, is a
     * deployment that entered QUEUED in this transaction: its state is published here, before its deploy
     * request, and it is persisted here when it was not yet.
     */
    private void dispatchNext(RepositoryRef repository, EnvironmentConfiguration environment, String environmentName,
            DeploymentEntity fresh) {
        dispatchNext(repository, environment, environmentName, fresh,
                DeploymentEntity.unfinished(repository, environmentName));
    }

    /**
     * The same, given the environment's unfinished deployments ({@link DeploymentEntity#unfinished}) as this
     * transaction has them: loaded after the environment was locked, their states as changed since.
     */
    private void dispatchNext(RepositoryRef repository, EnvironmentConfiguration environment, String environmentName,
            DeploymentEntity fresh, List<DeploymentEntity> unfinished) {
        Instant now = Instant.now();
        boolean busy = DeploymentEntity.running(unfinished).isPresent();
        List<DeploymentEntity> waiting = DeploymentEntity.waiting(unfinished);
        // the hold is read only where a deployment waits: it matters to no other
        Optional<DispatchGates.Hold> hold = waiting.isEmpty() ? Optional.empty()
                : EnvironmentHoldEntity.find(repository, environmentName)
                        .map(held -> new DispatchGates.Hold(held.commit, held.heldBy));
        List<DeploymentEntity> candidates = new ArrayList<>();
        waiting.stream().filter(DeploymentEntity::requestedByOperator).forEach(candidates::add);
        waiting.stream().filter(deployment -> !deployment.requestedByOperator()).forEach(candidates::add);

        DeploymentEntity next = null;
        boolean blockedAhead = false;
        for (DeploymentEntity candidate : candidates) {
            DispatchGates.Decision decision = DispatchGates.decide(new DispatchGates.Candidate(candidate.operation,
                            candidate.requestedByOperator(), candidate.freezeOverride != null), environment, hold,
                    () -> soakVerdict(repository, environment, candidate.commit, now), now);
            switch (decision.kind()) {
                case REJECT -> {
                    candidate.notBefore = null;
                    move(candidate, DeploymentState.REJECTED, decision.reason(), fresh);
                    LOG.infof("Deployment %s of %s to %s rejected: %s", candidate.id, repository.fullName(),
                            environmentName, decision.reason());
                }
                case WAIT -> {
                    candidate.notBefore = decision.retryAt();
                    changeReason(candidate, decision.reason(), fresh);
                    blockedAhead |= !candidate.requestedByOperator();
                }
                case GO -> {
                    candidate.notBefore = null;
                    if (!busy && !blockedAhead && next == null) {
                        next = candidate;
                    } else {
                        blockedAhead |= !candidate.requestedByOperator();
                    }
                }
            }
        }
        if (next != null) {
            markDispatched(next);
        }
        if (fresh != null) {
            if (!fresh.isPersistent()) {
                fresh.persist();
            }
            publishState(fresh);
        }
        if (next != null) {
            requestDeployment(repository, environment, next);
        }
    }

    private SoakRule.Verdict soakVerdict(RepositoryRef repository, EnvironmentConfiguration environment, String commit,
            Instant now) {
        List<SoakRule.Run> runs = DeploymentEntity.successesSinceFirstOf(repository, environment.requires(), commit)
                .stream().map(run -> new SoakRule.Run(run.commit, run.updatedAt)).toList();
        return SoakRule.judge(runs, commit, DurationSetting.of(environment.soak()), environment.requires(), now);
    }

    private void changeReason(DeploymentEntity deployment, String reason, DeploymentEntity fresh) {
        if (reason.equals(deployment.reason)) {
            return;
        }
        deployment.reason = reason;
        deployment.updatedAt = Instant.now();
        if (fresh == null || !deployment.id.equals(fresh.id)) {
            publishState(deployment);
        }
    }

    /** The deployment is handed to deploy-service: set before any event is appended, so its row is written once. */
    private void markDispatched(DeploymentEntity next) {
        Instant now = Instant.now();
        next.dispatched = true;
        next.updatedAt = now;
        next.newsDeadline = runDeadline.giveUpAt(next.state, true, now);
    }

    /** The deploy request of a deployment {@link #markDispatched marked dispatched}, through the outbox. */
    private void requestDeployment(RepositoryRef repository, EnvironmentConfiguration environment,
            DeploymentEntity next) {
        outbox.append(Topics.DEPLOY_REQUESTS, new DeploymentRequested(UUID.randomUUID(), next.updatedAt, next.id,
                repository, next.environment, next.operation, next.commit, next.branch, next.tag, next.pullRequestId,
                next.operation == DeploymentOperation.TEARDOWN ? environment.teardown() : environment.target(),
                next.newsDeadline, next.environmentUrl,
                next.operation == DeploymentOperation.DEPLOY ? environment.verify() : null));
    }

    private void publishState(DeploymentEntity deployment) {
        outbox.append(Topics.DEPLOYMENT_STATUS, new DeploymentStateChanged(UUID.randomUUID(), Instant.now(),
                deployment.id, deployment.repository(), deployment.environment, deployment.operation,
                deployment.commit, deployment.pullRequestId, deployment.state, deployment.reason, deployment.branch,
                deployment.tag, deployment.environmentUrl, deployment.triggeredBy, deployment.targetUrl));
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

    /** {@code <provider>:<workspace>/<slug>/<environment>}: Cloud {@code acme/shop} and Data Center's are apart. */
    private static String environmentLockKey(RepositoryRef repository, String environment) {
        return repository.key() + "/" + environment;
    }
}
