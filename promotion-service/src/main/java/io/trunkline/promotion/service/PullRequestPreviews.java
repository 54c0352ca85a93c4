package io.trunkline.promotion.service;

import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.client.CommitLookup;
import io.trunkline.promotion.persistence.DeploymentEntity;
import io.trunkline.promotion.persistence.PreviewEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Pull-request previews: each pull request gets an environment of its own per {@code pull-request}
 * environment, {@code <name>/pr-<id>}. Opened or updated with a new head commit: the head commit is
 * deployed there (the same head again, a title edit, deploys nothing). Merged, declined or deleted: the
 * environment is closed and torn down once ({@code teardown} target), if anything was ever deployed there.
 * A pull request from a fork is not deployed unless the repository sets {@code previewForks}: it is
 * REJECTED with the reason, which Bitbucket shows on its head commit. A head commit Bitbucket cannot
 * resolve for good is REJECTED with Bitbucket's answer. A preview idle for its environment's {@code ttl}
 * (no new commit) is torn down and says so; a later commit deploys it again.
 */
@ApplicationScoped
public class PullRequestPreviews {

    private static final Logger LOG = Logger.getLogger(PullRequestPreviews.class);

    private final DeploymentStateMachine stateMachine;
    private final RepositoryConfigurations configurations;

    public PullRequestPreviews(DeploymentStateMachine stateMachine, RepositoryConfigurations configurations) {
        this.stateMachine = stateMachine;
        this.configurations = configurations;
    }

    /**
     * Applies a pull request's change to the preview of one {@code pull-request} environment.
     *
     * @param head the head commit resolved through Bitbucket (opened, updated); null for other actions
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(RepositoryConfiguration config, EnvironmentConfiguration environment, PullRequestChanged event,
            CommitLookup head) {
        switch (event.action()) {
            case OPENED, UPDATED -> deploy(config, environment, event, head);
            case MERGED, DECLINED -> close(event.repository(), environment, event.pullRequestId(), event.actor(),
                    "pull request #" + event.pullRequestId() + " " + (event.action() == PullRequestAction.MERGED
                            ? "merged" : "declined"));
        }
    }

    private void deploy(RepositoryConfiguration config, EnvironmentConfiguration environment, PullRequestChanged event,
            CommitLookup head) {
        RepositoryRef repository = event.repository();
        String name = PreviewEnvironments.name(environment.name(), event.pullRequestId());
        if (head == null) {
            LOG.warnf("Pull request %s#%d %s without a head commit: nothing to deploy", repository.fullName(),
                    event.pullRequestId(), event.action());
            return;
        }
        String commit = head.found() ? head.fullHash() : event.sourceCommit();
        PlannedDeployment planned = new PlannedDeployment(environment, commit, event.sourceBranch(), null);
        boolean refused = (event.fromFork() && !Boolean.TRUE.equals(config.previewForks())) || !head.found();
        if (refused && DeploymentEntity.rejected(repository, name, commit)) {
            LOG.debugf("%s of %s: head commit %s was rejected before", name, repository.fullName(), commit);
            return;
        }
        if (event.fromFork() && !Boolean.TRUE.equals(config.previewForks())) {
            stateMachine.reject(repository, planned, name, event.pullRequestId(), event.actor(), "pull request #"
                    + event.pullRequestId() + " comes from a fork" + (event.sourceRepository() == null ? ""
                    : " (" + event.sourceRepository().fullName() + ")") + ": code nobody in the team reviewed is "
                    + "not deployed unless the repository sets \"previewForks\": true");
            return;
        }
        if (!head.found()) {
            stateMachine.reject(repository, planned, name, event.pullRequestId(), event.actor(),
                    "head commit " + event.sourceCommit() + " cannot be resolved: " + head.failure());
            return;
        }
        Instant now = Instant.now();
        Optional<PreviewEntity> existing = PreviewEntity.lock(repository, name);
        if (existing.filter(PreviewEntity::open).filter(preview -> preview.headCommit.equals(commit)).isPresent()) {
            LOG.debugf("%s of %s already has head commit %s: nothing to deploy", name, repository.fullName(),
                    Commits.shortened(commit));
            return;
        }
        PreviewEntity preview = existing.orElseGet(() -> newPreview(repository, environment, name, event, now));
        preview.headCommit = commit;
        preview.sourceBranch = event.sourceBranch();
        preview.lastCommitAt = now;
        preview.expiresAt = expiry(environment, now);
        preview.closedAt = null;
        preview.closeReason = null;
        if (!preview.isPersistent()) {
            preview.persist();
        }
        stateMachine.create(repository, planned, name, event.pullRequestId(), event.actor());
    }

    /**
     * Closes an open preview and tears it down; one never opened, or already closed, is left as it is.
     *
     * @return whether it was open
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean close(RepositoryRef repository, EnvironmentConfiguration environment, long pullRequestId,
            String triggeredBy, String reason) {
        String name = PreviewEnvironments.name(environment.name(), pullRequestId);
        Optional<PreviewEntity> found = PreviewEntity.lock(repository, name).filter(PreviewEntity::open);
        if (found.isEmpty()) {
            LOG.debugf("%s of %s: no open preview, nothing to tear down (%s)", name, repository.fullName(), reason);
            return false;
        }
        PreviewEntity preview = found.get();
        preview.closedAt = Instant.now();
        preview.closeReason = reason;
        preview.expiresAt = null;
        stateMachine.tearDown(repository, environment, name, preview.headCommit, preview.sourceBranch, pullRequestId,
                triggeredBy, reason);
        return true;
    }

    /**
     * Closes and tears down up to {@code limit} previews idle for their environment's {@code ttl} at
     * {@code now}, as configured now (a preview whose environment lost its ttl, or got a longer one, is
     * given its new expiry instead). Safe with several instances: rows another transaction holds are skipped.
     *
     * @return how many previews were looked at
     */
    @Transactional
    public int expireIdle(Instant now, int limit) {
        int seen = 0;
        for (PreviewEntity preview : PreviewEntity.lockExpired(now, limit)) {
            seen++;
            RepositoryRef repository = preview.repository();
            Optional<EnvironmentConfiguration> environment = configurations.environment(repository,
                    preview.configuredEnvironment);
            Instant expiry = environment.map(configured -> expiry(configured, preview.lastCommitAt)).orElse(null);
            if (environment.isEmpty() || expiry == null || expiry.isAfter(now)) {
                preview.expiresAt = expiry;
                continue;
            }
            String idle = DurationText.of(DurationSetting.of(environment.get().ttl()));
            close(repository, environment.get(), preview.pullRequestId, "ttl",
                    "preview idle for " + idle + " (ttl " + environment.get().ttl() + ")");
        }
        return seen;
    }

    private static PreviewEntity newPreview(RepositoryRef repository, EnvironmentConfiguration environment, String name,
            PullRequestChanged event, Instant now) {
        PreviewEntity preview = new PreviewEntity();
        preview.provider = repository.provider().id();
        preview.workspace = repository.workspace();
        preview.slug = repository.slug();
        preview.environment = name;
        preview.configuredEnvironment = environment.name();
        preview.pullRequestId = event.pullRequestId();
        preview.openedAt = now;
        return preview;
    }

    /** When a preview that got its last commit at {@code lastCommit} expires; null without a ttl. */
    private static Instant expiry(EnvironmentConfiguration environment, Instant lastCommit) {
        return environment.ttl() == null ? null
                : DurationSetting.parse(environment.ttl()).map(lastCommit::plus).orElse(null);
    }
}
