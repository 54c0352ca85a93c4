package io.trunkline.promotion.service;

import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.promotion.persistence.DeploymentEntity;
import io.trunkline.promotion.persistence.EnvironmentHoldEntity;
import io.trunkline.promotion.service.RepositoryConfigurations.StoredConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What operators may do to deployments and environments: approve, cancel, redeploy or roll back, release a
 * hold. Each command is applied by the {@link DeploymentStateMachine} and recorded in the {@link AuditLog}
 * in one transaction, and answers with what it changed as it now is.
 */
@ApplicationScoped
public class OperatorCommands {

    private final DeploymentStateMachine stateMachine;
    private final RepositoryConfigurations configurations;
    private final AuditLog auditLog;

    public OperatorCommands(DeploymentStateMachine stateMachine, RepositoryConfigurations configurations,
            AuditLog auditLog) {
        this.stateMachine = stateMachine;
        this.configurations = configurations;
        this.auditLog = auditLog;
    }

    /** @see DeploymentStateMachine#approve */
    @Transactional
    public DeploymentEntity approve(UUID deploymentId, String subject, Set<String> memberships) {
        DeploymentEntity deployment = stateMachine.approve(deploymentId, subject, memberships);
        auditLog.deploymentCommand(subject, AuditAction.DEPLOYMENT_APPROVED, deployment, "approved the deployment of "
                + Commits.shortened(deployment.commit) + " to " + deployment.environment);
        return deployment;
    }

    /** @see DeploymentStateMachine#cancel */
    @Transactional
    public DeploymentEntity cancel(UUID deploymentId, String subject, String reason) {
        DeploymentEntity deployment = stateMachine.cancel(deploymentId, subject, reason);
        auditLog.deploymentCommand(subject, AuditAction.DEPLOYMENT_CANCELLED, deployment, (deployment.state.isFinal()
                ? "cancelled the deployment of " : "asked deploy-service to stop the deployment of ")
                + Commits.shortened(deployment.commit) + " to " + deployment.environment
                + (reason == null || reason.isBlank() ? "" : ": " + reason.strip()));
        return deployment;
    }

    /** @see DeploymentStateMachine#overrideFreeze */
    @Transactional
    public DeploymentEntity overrideFreeze(UUID deploymentId, String subject, String reason) {
        DeploymentEntity deployment = stateMachine.overrideFreeze(deploymentId, subject, reason);
        auditLog.deploymentCommand(subject, AuditAction.FREEZE_OVERRIDDEN, deployment, "let the deployment of "
                + Commits.shortened(deployment.commit) + " to " + deployment.environment + " through freeze windows: "
                + reason.strip());
        return deployment;
    }

    /**
     * Redeploys a commit that once succeeded in the environment; a rollback (a commit other than the one it
     * runs now) holds the environment until {@link #release}.
     *
     * @see DeploymentStateMachine#redeploy
     * @throws EnvironmentNotFoundException when the repository or the environment is not configured
     */
    @Transactional
    public DeploymentEntity redeploy(Optional<ScmProvider> provider, String workspace, String slug, String environment,
            String commit, String subject) {
        Target target = target(provider, workspace, slug, environment);
        DeploymentEntity deployment = stateMachine.redeploy(target.repository(), target.environment(), commit, subject);
        boolean rollback = stateMachine.holdOf(target.repository(), environment)
                .filter(hold -> hold.deploymentId.equals(deployment.id)).isPresent();
        auditLog.environmentCommand(subject, rollback ? AuditAction.ENVIRONMENT_ROLLED_BACK
                        : AuditAction.ENVIRONMENT_REDEPLOYED, target.repository(), environment, deployment.id,
                (rollback ? "rolled " + environment + " back to " : "redeployed ")
                        + Commits.shortened(deployment.commit) + (rollback ? "; the environment is held" : " to "
                        + environment));
        return deployment;
    }

    /**
     * Ends the hold of a rollback; the deployments that waited for it go on.
     *
     * @return the environment as it now is
     * @throws EnvironmentNotFoundException when the repository or the environment is not configured
     * @throws CommandRefusedException when the environment is not held
     */
    @Transactional
    public EnvironmentStatus release(Optional<ScmProvider> provider, String workspace, String slug, String environment,
            String subject) {
        Target target = target(provider, workspace, slug, environment);
        EnvironmentHoldEntity hold = stateMachine.release(target.repository(), target.environment());
        auditLog.environmentCommand(subject, AuditAction.ENVIRONMENT_RELEASED, target.repository(), environment, null,
                "released " + environment + ", held since the rollback to " + Commits.shortened(hold.commit) + " by "
                        + hold.heldBy);
        return new EnvironmentStatus(target.repository(), environment, Optional.empty(),
                DeploymentEntity.running(target.repository(), environment),
                DeploymentEntity.undispatched(target.repository(), environment));
    }

    private Target target(Optional<ScmProvider> provider, String workspace, String slug, String environment) {
        StoredConfiguration stored = configurations.find(provider, workspace, slug)
                .orElseThrow(() -> new EnvironmentNotFoundException("No configuration exists for " + workspace + "/"
                        + slug + provider.map(named -> " on " + named.id()).orElse("") + "."));
        EnvironmentConfiguration configured = stored.configuration().environment(environment)
                .orElseThrow(() -> new EnvironmentNotFoundException("The configuration of " + workspace + "/" + slug
                        + " has no environment " + environment + "."));
        if (EnvironmentConfiguration.TRIGGER_PULL_REQUEST.equals(configured.trigger())) {
            throw new CommandRefusedException("preview-environment", environment + " deploys pull requests to "
                    + "environments of their own: push to the pull request to redeploy its preview.");
        }
        return new Target(stored.repository(), configured);
    }

    private record Target(RepositoryRef repository, EnvironmentConfiguration environment) {
    }

    /** An environment after a command: its hold, the deployment it runs, the deployments that wait. */
    public record EnvironmentStatus(RepositoryRef repository, String environment, Optional<EnvironmentHoldEntity> hold,
            Optional<DeploymentEntity> running, List<DeploymentEntity> waiting) {
    }
}
