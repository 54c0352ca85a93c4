package io.trunkline.promotion.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.trunkline.commons.messaging.ConsumerLanes;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.events.RefsPushed;
import io.trunkline.promotion.config.PromotionConfig;
import io.trunkline.promotion.service.Promotions;
import io.trunkline.promotion.service.PullRequestCommits;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Consumes {@code trunkline.scm-events}: pushes are planned into deployments, pull requests into previews. The
 * records are keyed by repository and decided in lanes (service-commons' {@link ConsumerLanes}): up to
 * {@code trunkline.promotion.lanes.scm-events} repositories at once, each repository's events one at a time and
 * in order, so decisions about one repository and its environments never race each other. A pull request's
 * abbreviated head commit is resolved through Bitbucket first, outside the transaction; while Bitbucket is
 * unavailable the event is retried in place, in its repository's lane (the repository's later events wait behind
 * it, other repositories' are decided meanwhile, and no offset is committed past it).
 */
@ApplicationScoped
public class ScmEventConsumer {

    static final String CONSUMER = "promotion-service/scm-events";

    private final Promotions promotions;
    private final PullRequestCommits pullRequestCommits;
    private final ConsumerLanes lanes;
    private final Duration shutdownGrace;

    public ScmEventConsumer(EventProcessing processing, Promotions promotions, PullRequestCommits pullRequestCommits,
            PromotionConfig config) {
        this.promotions = promotions;
        this.pullRequestCommits = pullRequestCommits;
        PromotionConfig.Lanes lanes = config.promotion().lanes();
        this.lanes = new ConsumerLanes(processing, CONSUMER, lanes.scmEvents(), lanes.capacity());
        this.shutdownGrace = lanes.shutdownGrace();
    }

    /** @return completes when the next record may be taken: at once, unless too many wait in the lanes */
    @Incoming("scm-events")
    public CompletionStage<Void> consume(Message<String> message) {
        return lanes.process(message, this::decide);
    }

    private void decide(TrunklineEvent event) {
        if (event instanceof RefsPushed push) {
            promotions.onPush(push);
        } else if (event instanceof PullRequestChanged pullRequest) {
            promotions.onPullRequest(pullRequest, pullRequestCommits.headOf(pullRequest));
        }
    }

    /** Before the database and the broker clients go: no other record starts, those under way may finish. */
    void stop(@Observes @Priority(100) ShutdownEvent event) {
        lanes.close(shutdownGrace);
    }
}
