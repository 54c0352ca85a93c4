package io.trunkline.deploy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.deploy.client.CallInterruptedException;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.EventCodec;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs a requested deployment at most once, in three steps:
 * <ol>
 *   <li>one transaction claims the deployment id, leased to this instance, with the request, and
 *       records IN_PROGRESS in the outbox; a deployment already claimed (a redelivery) stops here,
 *       calling nothing, and one whose {@code notAfter} has passed is recorded FAILED without a call;</li>
 *   <li>the target is called, outside any transaction, while {@link LeaseRenewal} renews the lease;</li>
 *   <li>{@link OutcomeRecorder} records the outcome and SUCCEEDED or FAILED in the outbox, retrying
 *       through database outages, if this instance still holds the run.</li>
 * </ol>
 * A process that dies between steps 1 and 3 leaves the run IN_PROGRESS with a lease nobody renews;
 * {@link LeaseRecovery} takes it over once the lease expired.
 */
@ApplicationScoped
public class DeploymentRunner {

    private static final Logger LOG = Logger.getLogger(DeploymentRunner.class);

    private final DeploymentRuns runs;
    private final Outbox outbox;
    private final DeploymentTargets targets;
    private final OutcomeRecorder recorder;
    private final ActiveRuns active;
    private final InstanceId instance;
    private final DeployConfig config;

    public DeploymentRunner(DeploymentRuns runs, Outbox outbox, DeploymentTargets targets, OutcomeRecorder recorder,
            ActiveRuns active, InstanceId instance, DeployConfig config) {
        this.runs = runs;
        this.outbox = outbox;
        this.targets = targets;
        this.recorder = recorder;
        this.active = active;
        this.instance = instance;
        this.config = config;
    }

    /** @return false when nothing was called: the deployment had already been claimed, or came too late */
    public boolean run(DeploymentRequested request) {
        if (request.notAfter() != null && !Instant.now().isBefore(request.notAfter())) {
            recordNotStarted(request);
            return false;
        }
        long confirmedAt = System.nanoTime();
        boolean claimed = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            if (!runs.claim(request.deploymentId(), request.eventId(), EventCodec.encode(request), instance.id(),
                    config.leaseTtl(), now)) {
                return false;
            }
            outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, DeploymentState.IN_PROGRESS,
                    "deploy-service is calling the " + StateEvents.targetType(request) + " target", now));
            return true;
        });
        if (!claimed) {
            LOG.infof("Deployment %s of %s to %s: already started, request %s skipped", request.deploymentId(),
                    StateEvents.repository(request), request.environment(), request.eventId());
            return false;
        }
        active.started(request.deploymentId(), confirmedAt);
        LOG.infof("Deployment %s of %s to %s: %s started (%s target)", request.deploymentId(),
                StateEvents.repository(request), request.environment(), StateEvents.operation(request),
                StateEvents.targetType(request));
        carryOut(request, false);
        return true;
    }

    /**
     * Carries on with a run {@link LeaseRecovery} took over from a stopped worker: its target is
     * idempotent, so it is called again. The lease is already this instance's, in {@link ActiveRuns}.
     */
    public void resume(DeploymentRequested request) {
        LOG.infof("Deployment %s of %s to %s: taken over after its worker stopped; calling the idempotent %s target"
                + " again", request.deploymentId(), StateEvents.repository(request), request.environment(),
                StateEvents.targetType(request));
        carryOut(request, true);
    }

    private void recordNotStarted(DeploymentRequested request) {
        String reason = "not started before " + request.notAfter() + ": promotion-service had given up";
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            if (!runs.recordNotStarted(request.deploymentId(), request.eventId(), EventCodec.encode(request), reason,
                    now)) {
                return false;
            }
            outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, DeploymentState.FAILED, reason, now));
            return true;
        });
        if (recorded) {
            LOG.infof("Deployment %s of %s to %s: FAILED without a call to the target: %s", request.deploymentId(),
                    StateEvents.repository(request), request.environment(), reason);
        } else {
            LOG.infof("Deployment %s of %s to %s: already recorded, request %s skipped", request.deploymentId(),
                    StateEvents.repository(request), request.environment(), request.eventId());
        }
    }

    private void carryOut(DeploymentRequested request, boolean resumed) {
        UUID id = request.deploymentId();
        try {
            Outcome outcome;
            try {
                outcome = callTarget(request);
            } catch (CallInterruptedException e) {
                LOG.warnf("Deployment %s: %s; the run is left to lease recovery", id, e.getMessage());
                return;
            }
            if (resumed) {
                outcome = new Outcome(outcome.state(), outcome.reason()
                        + "; called again after deploy-service stopped during an earlier call", outcome.attempts());
            }
            if (recorder.record(request, outcome)) {
                LOG.infof("Deployment %s of %s to %s: %s after %d %s to the target: %s", id,
                        StateEvents.repository(request), request.environment(), outcome.state(), outcome.attempts(),
                        outcome.attempts() == 1 ? "call" : "calls", outcome.reason());
            }
        } finally {
            active.ended(id);
        }
    }

    private Outcome callTarget(DeploymentRequested request) {
        UUID id = request.deploymentId();
        try {
            return targets.deploy(request, () -> active.leaseHeld(id, config.leaseTtl()));
        } catch (CallInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            // a defect of ours, not of the target: the run still ends, and the log has the details
            LOG.errorf(e, "Deployment %s: unexpected error while calling the target", id);
            return Outcome.failed("internal error in deploy-service while calling the target", 0);
        }
    }
}
