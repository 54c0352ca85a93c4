package io.trunkline.status.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.ScmProvider;
import io.trunkline.status.client.CommitStatus;
import io.trunkline.status.config.StatusReporterConfig;
import io.trunkline.status.persistence.BitbucketDelivery;
import io.trunkline.status.persistence.Deployment;
import io.trunkline.status.persistence.DeliveryQueue;
import io.trunkline.status.persistence.DeploymentReadModel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reports one deployment state: records it in the read model and queues the matching commit status
 * (and, for a pull request's preview, the pull request's comment) for Bitbucket, in one transaction that involves no call to Bitbucket. Once it commits, the
 * {@link DeliveryWorker} posts the status; a Bitbucket outage, rate limit or refusal never rolls the
 * recorded state back.
 */
@ApplicationScoped
public class DeploymentReporting {

    /** The name this service's deployment-status consumer claims events under. */
    public static final String CONSUMER = "status-reporter.deployment-status";

    private static final Logger LOG = Logger.getLogger(DeploymentReporting.class);
    private static final Object WORKER_REQUESTED = DeploymentReporting.class.getName() + ".workerRequested";

    private final DeploymentReadModel readModel;
    private final DeliveryQueue queue;
    private final DeliveryWorker worker;
    private final StatusReporterConfig config;
    private final TransactionSynchronizationRegistry transactions;
    private final ObjectMapper json;

    public DeploymentReporting(DeploymentReadModel readModel, DeliveryQueue queue,
            DeliveryWorker worker, StatusReporterConfig config, TransactionSynchronizationRegistry transactions,
            ObjectMapper json) {
        this.readModel = readModel;
        this.queue = queue;
        this.worker = worker;
        this.config = config;
        this.transactions = transactions;
        this.json = json;
    }

    @Transactional
    public Outcome report(DeploymentStateChanged event, DeploymentDetails details) {
        Optional<DeploymentReadModel.Applied> claimed = readModel.apply(CONSUMER, event, details);
        if (claimed.isEmpty()) {
            LOG.debugf("Event %s already reported, skipped", event.eventId());
            return Outcome.DUPLICATE;
        }
        DeploymentReadModel.Applied applied = claimed.get();
        if (!applied.current()) {
            LOG.infof("Deployment %s is already final; %s (event %s) only joins its timeline",
                    event.deploymentId(), event.state(), event.eventId());
            return Outcome.TIMELINE_ONLY;
        }
        Deployment deployment = applied.deployment();
        if (event.commit() == null || event.commit().isBlank()) {
            LOG.warnf("Deployment %s %s carries no commit: no commit status", event.deploymentId(), event.state());
            return Outcome.RECORDED;
        }
        if (!reaches(event.repository().provider())) {
            LOG.warnf("No Bitbucket Data Center server URL is configured (TRUNKLINE_BITBUCKET_SERVER_URL): "
                    + "no commit status for deployment %s of %s", event.deploymentId(), event.repository().fullName());
            return Outcome.RECORDED;
        }
        CommitStatus status = CommitStatuses.of(event, deployment.refName, config.dashboardUrl());
        queue.enqueue(BitbucketDelivery.COMMIT_STATUS, statusTarget(deployment, status.key()), deployment, null,
                write(status));
        if (deployment.pullRequestId != null) {
            queue.enqueue(BitbucketDelivery.PULL_REQUEST_COMMENT, commentTarget(deployment), deployment,
                    deployment.pullRequestId,
                    write(new PullRequestComments.CommentPayload(PreviewComments.text(deployment, config.dashboardUrl()))));
        }
        deliverAfterCommit();
        return Outcome.QUEUED;
    }

    private boolean reaches(ScmProvider provider) {
        return provider == ScmProvider.BITBUCKET_CLOUD || config.bitbucket().serverUrl().isPresent();
    }

    /** What Bitbucket shows one status of: the commit and the key. */
    static String statusTarget(Deployment deployment, String key) {
        return "status:" + deployment.provider.id() + ":" + deployment.workspace + "/" + deployment.slug + "@"
                + deployment.commit + "#" + key;
    }

    /** What Bitbucket shows the preview comment of: the pull request. */
    static String commentTarget(Deployment deployment) {
        return "comment:" + deployment.provider.id() + ":" + deployment.workspace + "/" + deployment.slug + "#"
                + deployment.pullRequestId;
    }

    private String write(Object payload) {
        try {
            return json.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + payload.getClass().getSimpleName(), e);
        }
    }

    private void deliverAfterCommit() {
        if (transactions.getResource(WORKER_REQUESTED) != null) {
            return;
        }
        transactions.putResource(WORKER_REQUESTED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    worker.requestRun();
                }
            }
        });
    }

    /** What reporting an event did. */
    public enum Outcome {
        /** Recorded, and its commit status queued for Bitbucket. */
        QUEUED,
        /** Recorded; no status can be posted (no commit, or no server configured for its provider). */
        RECORDED,
        /** Arrived after the deployment's final state: added to the timeline, nothing posted. */
        TIMELINE_ONLY,
        /** Already reported before. */
        DUPLICATE
    }
}
