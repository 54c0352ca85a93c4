package io.trunkline.promotion.messaging;

import io.smallrye.common.annotation.Blocking;
import io.trunkline.commons.messaging.EventProcessing;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RefsPushed;
import io.trunkline.promotion.service.Promotions;
import io.trunkline.promotion.service.PullRequestCommits;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code trunkline.scm-events}: pushes are planned into deployments, pull requests into previews.
 * A pull request's abbreviated head commit is resolved through Bitbucket first, outside the transaction;
 * while Bitbucket is unavailable the event is retried in place (and the records behind it wait).
 */
@ApplicationScoped
public class ScmEventConsumer {

    static final String CONSUMER = "promotion-service/scm-events";

    private final EventProcessing processing;
    private final Promotions promotions;
    private final PullRequestCommits pullRequestCommits;

    public ScmEventConsumer(EventProcessing processing, Promotions promotions, PullRequestCommits pullRequestCommits) {
        this.processing = processing;
        this.promotions = promotions;
        this.pullRequestCommits = pullRequestCommits;
    }

    @Incoming("scm-events")
    @Blocking
    public void consume(ConsumerRecord<String, String> record) {
        processing.process(CONSUMER, record, event -> {
            if (event instanceof RefsPushed push) {
                promotions.onPush(push);
            } else if (event instanceof PullRequestChanged pullRequest) {
                promotions.onPullRequest(pullRequest, pullRequestCommits.headOf(pullRequest));
            }
        });
    }
}
