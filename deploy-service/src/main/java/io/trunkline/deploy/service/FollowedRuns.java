package io.trunkline.deploy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.commons.messaging.RetryUntilDone;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * What deploy-service keeps about the runs targets start: the run's id and page, stored the moment the
 * trigger call answers (with an {@code IN_PROGRESS} state naming the page, in the same transaction), so
 * that whoever holds the deployment next follows that run rather than starting another; and the
 * operators' cancels the followers look for. Every read and write waits out a database outage
 * ({@link RetryUntilDone}): a run that was started is never lost to one.
 */
@ApplicationScoped
public class FollowedRuns {

    private final DeploymentRuns runs;
    private final Outbox outbox;
    private final InstanceId instance;
    private final RetryUntilDone retry;

    public FollowedRuns(DeploymentRuns runs, Outbox outbox, InstanceId instance, RetryUntilDone retry) {
        this.runs = runs;
        this.outbox = outbox;
        this.instance = instance;
        this.retry = retry;
    }

    /**
     * A run the target started, as stored.
     *
     * @param externalId its id at the target; null when none was stored (not started yet)
     * @param startedAt when the deployment started: its follow deadline counts from there
     */
    public record StoredRun(String externalId, String link, Instant startedAt) {
    }

    public StoredRun stored(UUID deploymentId) {
        return retry.get("deploy-service/following runs", "deployment " + deploymentId,
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    DeploymentRun run = runs.find(deploymentId).orElseThrow(() ->
                            new IllegalStateException("deployment " + deploymentId + " has no run"));
                    return new StoredRun(run.externalId(), run.link(), run.startedAt());
                }));
    }

    /**
     * Stores the run the target just started and publishes {@code IN_PROGRESS} with {@code reason} and the
     * run's page ({@code targetUrl}).
     *
     * @return false when this instance no longer holds the deployment (nothing was stored)
     */
    public boolean started(DeploymentRequested request, String externalId, String link, String reason) {
        return retry.get("deploy-service/following runs", "deployment " + request.deploymentId(),
                () -> QuarkusTransaction.requiringNew().call(() -> {
                    if (!runs.recordExternalRun(request.deploymentId(), instance.id(), externalId, link)) {
                        return false;
                    }
                    outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, DeploymentState.IN_PROGRESS, reason,
                            Instant.now(), link));
                    return true;
                }));
    }

    /** Why an operator cancelled the deployment; empty when nobody did. */
    public Optional<String> cancelReason(UUID deploymentId) {
        return retry.get("deploy-service/following runs", "deployment " + deploymentId,
                () -> QuarkusTransaction.requiringNew().call(() -> runs.cancelReason(deploymentId)));
    }
}
