package io.trunkline.promotion.service;

import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.client.CommitLookup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;

/** Applies the promotion rules to SCM events (pushes, pull requests) and follows deployments to their end. */
@ApplicationScoped
public class Promotions {

    static final String SCM_CONSUMER = "promotion-service/scm-events";
    static final String STATUS_CONSUMER = "promotion-service/deployment-status";
    /**
     * The states deploy-service reports (CANCELLED: a run it stopped on request); the others are this
     * service's own decisions. This service's own CANCELLED and FAILED come back here too, for deployments
     * already ended: they change nothing.
     */
    private static final Set<DeploymentState> RUN_STATES = EnumSet.of(DeploymentState.IN_PROGRESS,
            DeploymentState.SUCCEEDED, DeploymentState.FAILED, DeploymentState.CANCELLED);
    private static final Logger LOG = Logger.getLogger(Promotions.class);

    private final RepositoryConfigurations configurations;
    private final RefHistory refHistory;
    private final DeploymentStateMachine stateMachine;
    private final PullRequestPreviews previews;

    public Promotions(RepositoryConfigurations configurations, RefHistory refHistory,
            DeploymentStateMachine stateMachine, PullRequestPreviews previews) {
        this.configurations = configurations;
        this.refHistory = refHistory;
        this.stateMachine = stateMachine;
        this.previews = previews;
    }

    /** Plans deployments for the push's new changes; stale and repeated changes are recorded and deploy nothing. */
    @Transactional
    public void onPush(RefsPushed push) {
        RepositoryRef repository = push.repository();
        RepositoryConfigurations.Claimed claimed = configurations.claimAndGet(SCM_CONSUMER, push.eventId(), repository);
        if (!claimed.first()) {
            return;
        }
        List<RefChange> applied = refHistory.record(push);
        Optional<RepositoryConfiguration> config = claimed.configuration();
        if (config.isEmpty()) {
            LOG.debugf("Push to %s ignored: the repository is not configured", repository.fullName());
            return;
        }
        for (PlannedDeployment planned : PromotionRules.plan(config.get(), applied)) {
            stateMachine.create(repository, planned, push.actor());
        }
    }

    /**
     * Applies a pull request's change to its previews, one per {@code pull-request} environment.
     *
     * @param head its head commit as Bitbucket resolved it ({@link PullRequestCommits}); null where nothing deploys
     */
    @Transactional
    public void onPullRequest(PullRequestChanged event, CommitLookup head) {
        RepositoryRef repository = event.repository();
        RepositoryConfigurations.Claimed claimed = configurations.claimAndGet(SCM_CONSUMER, event.eventId(),
                repository);
        if (!claimed.first()) {
            return;
        }
        Optional<RepositoryConfiguration> config = claimed.configuration();
        if (config.isEmpty()) {
            LOG.debugf("Pull request %s#%d ignored: the repository is not configured", repository.fullName(),
                    event.pullRequestId());
            return;
        }
        for (EnvironmentConfiguration environment : config.get().environments()) {
            if (environment.previews()) {
                previews.apply(config.get(), environment, event, head);
            }
        }
    }

    /**
     * Whether {@code state} is one deploy-service reports about a run, the only ones {@link #onStateChanged} acts
     * on; the others are this service's own decisions coming back.
     */
    public static boolean isRunState(DeploymentState state) {
        return RUN_STATES.contains(state);
    }

    /** Applies a run state once per event: the state machine claims it with the change's first statement. */
    @Transactional
    public void onStateChanged(DeploymentStateChanged event) {
        if (!isRunState(event.state())) {
            return;
        }
        stateMachine.onRunStateChanged(STATUS_CONSUMER, event);
    }
}
