package io.trunkline.status.service;

import io.trunkline.commons.messaging.ProcessedEvents;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.status.client.BitbucketClient;
import io.trunkline.status.client.BitbucketRejectedException;
import io.trunkline.status.client.CommitStatus;
import io.trunkline.status.config.BitbucketConfig;
import io.trunkline.status.persistence.DeploymentReadModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

/**
 * Reports one deployment state: records it in the read model and posts the matching commit status
 * to Bitbucket, in one transaction that commits once Bitbucket has accepted the status. While
 * Bitbucket is unavailable the transaction rolls back and the consumer retries the event; a status
 * Bitbucket refuses (4xx other than 429) is logged and the state stays recorded.
 */
@ApplicationScoped
public class DeploymentReporting {

    /** The name this service's deployment-status consumer claims events under. */
    public static final String CONSUMER = "status-reporter.deployment-status";

    private static final Logger LOG = Logger.getLogger(DeploymentReporting.class);

    private final ProcessedEvents processedEvents;
    private final DeploymentReadModel readModel;
    private final BitbucketClient bitbucket;
    private final BitbucketConfig config;

    public DeploymentReporting(ProcessedEvents processedEvents, DeploymentReadModel readModel,
            BitbucketClient bitbucket, BitbucketConfig config) {
        this.processedEvents = processedEvents;
        this.readModel = readModel;
        this.bitbucket = bitbucket;
        this.config = config;
    }

    @Transactional
    public Outcome report(DeploymentStateChanged event) {
        if (!processedEvents.claim(CONSUMER, event.eventId())) {
            LOG.debugf("Event %s already reported, skipped", event.eventId());
            return Outcome.DUPLICATE;
        }
        if (!readModel.apply(event)) {
            LOG.infof("Deployment %s is already final; %s (event %s) only joins its timeline",
                    event.deploymentId(), event.state(), event.eventId());
            return Outcome.TIMELINE_ONLY;
        }
        if (event.commit() == null || event.commit().isBlank()) {
            LOG.warnf("Deployment %s %s carries no commit: no commit status", event.deploymentId(), event.state());
            return Outcome.RECORDED;
        }
        if (!bitbucket.reaches(event.repository().provider())) {
            LOG.warnf("No Bitbucket Data Center server URL is configured (TRUNKLINE_BITBUCKET_SERVER_URL): "
                    + "no commit status for deployment %s of %s", event.deploymentId(), event.repository().fullName());
            return Outcome.RECORDED;
        }
        CommitStatus status = CommitStatuses.of(event, config.dashboardUrl());
        try {
            bitbucket.postStatus(event.repository(), event.commit(), status);
        } catch (BitbucketRejectedException e) {
            // a refusal does not go away by asking again; the state stays recorded
            LOG.warnf("Deployment %s: Bitbucket refused the %s status: %s", event.deploymentId(), status.state(),
                    e.getMessage());
            return Outcome.REFUSED;
        }
        LOG.debugf("Posted %s %s on %s@%s for deployment %s", status.key(), status.state(),
                event.repository().fullName(), event.commit(), event.deploymentId());
        return Outcome.REPORTED;
    }

    /** What reporting an event did. */
    public enum Outcome {
        /** Recorded and posted to Bitbucket. */
        REPORTED,
        /** Recorded; no status could be posted (no commit, or no server configured for its provider). */
        RECORDED,
        /** Arrived after the deployment's final state: added to the timeline, nothing posted. */
        TIMELINE_ONLY,
        /** Recorded; Bitbucket refused the status (4xx other than 429). */
        REFUSED,
        /** Already reported before. */
        DUPLICATE
    }
}
