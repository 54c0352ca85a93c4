package io.trunkline.deploy.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.deploy.client.CallInterruptedException;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentCancelRequested;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.VerificationResult;
import jakarta.annotation.PreDestroy;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.EventCodec;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Runs a requested deployment at most once, in three steps:
 * <ol>
 *   <li>one transaction claims the deployment id, leased to this instance, with the request, and
 *       records IN_PROGRESS in the outbox; a deployment already claimed (a redelivery) stops here,
 *       calling nothing, one an operator cancelled is recorded CANCELLED, and one whose
 *       {@code notAfter} has passed is recorded FAILED, without a call;</li>
 *   <li>the target is called, outside any transaction, while {@link LeaseRenewal} renews the lease; a run
 *       the target started (a pipeline, a Pulumi deployment) is followed by {@link RunFollower} without
 *       holding the caller's thread, so the environment's lane stays taken but its thread serves others;</li>
 *   <li>where the environment has {@code verify} checks and the target reported success, {@link Verifier} runs
 *       them (IN_PROGRESS "verifying" meanwhile) and their result decides the outcome;</li>
 *   <li>{@link OutcomeRecorder} records the outcome and SUCCEEDED or FAILED in the outbox, retrying
 *       through database outages, if this instance still holds the run.</li>
 * </ol>
 * A process that dies between steps 1 and 3 leaves the run IN_PROGRESS with a lease nobody renews;
 * {@link LeaseRecovery} takes it over once the lease expired.
 */
@ApplicationScoped
public class DeploymentRunner {

    private static final Logger LOG = Logger.getLogger(DeploymentRunner.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final DeploymentRuns runs;
    private final Outbox outbox;
    private final DeploymentTargets targets;
    private final OutcomeRecorder recorder;
    private final ActiveRuns active;
    private final InstanceId instance;
    private final DeployConfig config;
    private final Timer startDelay;
    private final Verifier verifier;
    private final ExecutorService verifications = Executors.newCachedThreadPool(new ThreadFactory() {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "trunkline-verify-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        }
    });

    /** The reason of a deployment's IN_PROGRESS while its verify checks run. */
    public static final String VERIFYING = "verifying";

    public DeploymentRunner(DeploymentRuns runs, Outbox outbox, DeploymentTargets targets, OutcomeRecorder recorder,
            ActiveRuns active, InstanceId instance, DeployConfig config, MeterRegistry meters, Verifier verifier) {
        this.verifier = verifier;
        this.runs = runs;
        this.outbox = outbox;
        this.targets = targets;
        this.recorder = recorder;
        this.active = active;
        this.instance = instance;
        this.config = config;
        this.startDelay = Timer.builder("trunkline.deploy.start.delay")
                .description("From a deployment request's arrival at deploy-service to the call of its target: the"
                        + " claim, its state in the outbox, waiting for a free lane")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .register(meters);
    }

    /** @see #run(DeploymentRequested, long) */
    public CompletionStage<Void> run(DeploymentRequested request) {
        return run(request, System.nanoTime());
    }

    /**
     * Claims the deployment and calls its target on the caller's thread; a run the target started is then
     * followed without it.
     *
     * @param receivedAt {@link System#nanoTime()} when the request reached this instance: the time until
     *                   its target is called is the overhead deploy-service adds, {@code trunkline_deploy_start_delay}
     * @return completes once the deployment's outcome is recorded (or left to lease recovery because the
     *         process stops); at once when nothing was called: the deployment had already been claimed, or came
     *         too late
     */
    public CompletionStage<Void> run(DeploymentRequested request, long receivedAt) {
        if (request.notAfter() != null && !Instant.now().isBefore(request.notAfter())) {
            recordNotStarted(request);
            return DONE;
        }
        long confirmedAt = System.nanoTime();
        Start start = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            DeploymentRuns.Claim claimed = runs.claim(request.deploymentId(), request.eventId(),
                    EventCodec.encode(request), instance.id(), config.leaseTtl(), now);
            if (claimed.cancelReason() != null) {
                String reason = claimed.cancelReason() + "; not started";
                if (!runs.recordNotStarted(request.deploymentId(), request.eventId(), EventCodec.encode(request),
                        DeploymentState.CANCELLED, reason, now)) {
                    return Start.ALREADY_CLAIMED;
                }
                outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, DeploymentState.CANCELLED, reason, now));
                return Start.CANCELLED;
            }
            if (!claimed.claimed()) {
                return Start.ALREADY_CLAIMED;
            }
            outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, DeploymentState.IN_PROGRESS,
                    "deploy-service is calling the " + StateEvents.targetType(request) + " target", now));
            return Start.CLAIMED;
        });
        if (start == Start.CANCELLED) {
            LOG.infof("Deployment %s of %s to %s: CANCELLED before it started", request.deploymentId(),
                    StateEvents.repository(request), request.environment());
            return DONE;
        }
        if (start == Start.ALREADY_CLAIMED) {
            LOG.infof("Deployment %s of %s to %s: already started, request %s skipped", request.deploymentId(),
                    StateEvents.repository(request), request.environment(), request.eventId());
            return DONE;
        }
        active.started(request.deploymentId(), confirmedAt);
        LOG.infof("Deployment %s of %s to %s: %s started (%s target)", request.deploymentId(),
                StateEvents.repository(request), request.environment(), StateEvents.operation(request),
                StateEvents.targetType(request));
        startDelay.record(System.nanoTime() - receivedAt, TimeUnit.NANOSECONDS);
        return carryOut(request, "");
    }

    /** What the first step found: the run is this instance's to carry out, started elsewhere, or cancelled. */
    private enum Start {
        CLAIMED, ALREADY_CLAIMED, CANCELLED
    }

    /**
     * Carries on with a run {@link LeaseRecovery} took over from a stopped worker: the run its target
     * started is followed, or else the target is idempotent and called again. The lease is already this
     * instance's, in {@link ActiveRuns}.
     *
     * @param externalId the run the target started, null when none was stored
     * @return completes once the outcome is recorded, as {@link #run(DeploymentRequested, long)}'s
     */
    public CompletionStage<Void> resume(DeploymentRequested request, String externalId) {
        LOG.infof("Deployment %s of %s to %s: taken over after its worker stopped; %s", request.deploymentId(),
                StateEvents.repository(request), request.environment(), externalId == null
                        ? "calling the idempotent " + StateEvents.targetType(request) + " target again"
                        : "following the run the " + StateEvents.targetType(request) + " target started");
        return carryOut(request, externalId == null
                ? "; called again after deploy-service stopped during an earlier call"
                : "; followed again after deploy-service stopped while following it");
    }

    /**
     * Records an operator's cancel: a request not started yet will not be, a run a target started is
     * stopped by its follower (on whichever instance holds it), a single call under way goes on (its
     * outcome is published, and promotion-service records the cancel), a run that ended stays as it is.
     */
    public void cancel(DeploymentCancelRequested cancel) {
        Optional<DeploymentRun> run = QuarkusTransaction.requiringNew().call(() -> {
            runs.recordCancel(cancel.deploymentId(), cancel.eventId(), cancel.requestedBy(), cancel.reason());
            return runs.find(cancel.deploymentId());
        });
        String now = run.map(found -> found.state() == DeploymentState.IN_PROGRESS
                ? (found.externalId() != null ? "its run at the target is being stopped"
                        : "it is stopped if its target started a run, else its call goes on")
                : "it had ended " + found.state()).orElse("it is not started");
        LOG.infof("Deployment %s of %s to %s: cancel requested by %s; %s", cancel.deploymentId(),
                cancel.repository() == null ? "?" : cancel.repository().fullName(), cancel.environment(),
                cancel.requestedBy(), now);
    }

    private void recordNotStarted(DeploymentRequested request) {
        String reason = "not started before " + request.notAfter() + ": promotion-service had given up";
        boolean recorded = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            if (!runs.recordNotStarted(request.deploymentId(), request.eventId(), EventCodec.encode(request),
                    DeploymentState.FAILED, reason, now)) {
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

    /**
     * Calls the target, then records the outcome once it is known: at once for a single call, when the run
     * ends for a run the target started (followed on {@link RunFollower}'s threads, not the caller's).
     */
    private CompletionStage<Void> carryOut(DeploymentRequested request, String resumed) {
        UUID id = request.deploymentId();
        CompletionStage<Outcome> outcome;
        try {
            outcome = callTarget(request);
        } catch (CallInterruptedException e) {
            leftToLease(id, e);
            active.ended(id);
            return DONE;
        }
        return outcome.thenCompose(result -> verified(request, result)).handle((result, failure) -> {
            try {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (cause == null) {
                    record(request, result, resumed);
                } else if (cause instanceof CallInterruptedException) {
                    leftToLease(id, cause);
                } else {
                    // a defect of ours while following, not of the target: the run still ends, the log has the details
                    LOG.errorf(cause, "Deployment %s: unexpected error while following the target's run", id);
                    record(request, Outcome.failed("internal error in deploy-service while following the target's"
                            + " run", 0), resumed);
                }
            } finally {
                active.ended(id);
            }
            return null;
        });
    }

    /**
     * Runs the environment's {@code verify} checks once the target reported success, on the verifier's own
     * threads (a lane thread is not held for minutes): meanwhile the deployment stays IN_PROGRESS with the
     * reason "verifying" and its lease is renewed; it ends SUCCEEDED only when every check passed, else FAILED
     * naming the check. A target that failed, a teardown, or an environment without checks is not verified.
     */
    private CompletionStage<Outcome> verified(DeploymentRequested request, Outcome result) {
        if (result.state() != DeploymentState.SUCCEEDED || !request.verifies()
                || (request.operation() != null && request.operation() != DeploymentOperation.DEPLOY)) {
            return CompletableFuture.completedFuture(result);
        }
        UUID id = request.deploymentId();
        LOG.infof("Deployment %s of %s to %s: the target reported success (%s); verifying (%d %s)", id,
                StateEvents.repository(request), request.environment(), result.reason(), request.verify().size(),
                request.verify().size() == 1 ? "check" : "checks");
        publishVerifying(request, new VerificationResult(VerificationResult.RUNNING, null, List.of()));
        return CompletableFuture.supplyAsync(() -> {
            VerificationResult verification = verifier.verify(request, () -> active.leaseHeld(id, config.leaseTtl()),
                    progress -> publishVerifying(request, progress));
            if (verification.failed()) {
                VerificationResult.CheckResult failed = verification.checks().get(verification.checks().size() - 1);
                return new Outcome(DeploymentState.FAILED, "verification failed: " + verification.failedCheck() + ": "
                        + failed.detail(), result.attempts(), verification);
            }
            return new Outcome(DeploymentState.SUCCEEDED, result.reason() + "; verified: " + verification.checks().size()
                    + (verification.checks().size() == 1 ? " check" : " checks") + " passed", result.attempts(),
                    verification);
        }, verifications);
    }

    /** IN_PROGRESS "verifying", with the checks' results so far. */
    private void publishVerifying(DeploymentRequested request, VerificationResult sofar) {
        QuarkusTransaction.requiringNew().run(() -> outbox.append(Topics.DEPLOYMENT_STATUS,
                StateEvents.of(request, DeploymentState.IN_PROGRESS, VERIFYING, Instant.now(),
                        runs.link(request.deploymentId()).orElse(null)).withVerification(sofar)));
    }

    /** The verifier's threads stop with the application: checks under way are interrupted, their runs left to lease. */
    @PreDestroy
    void stopVerifications() {
        verifications.shutdownNow();
    }

    /** The process stops before the outcome was known. */
    private static void leftToLease(UUID id, Throwable failure) {
        LOG.warnf("Deployment %s: %s; the run is left to lease recovery", id, failure.getMessage());
    }

    private void record(DeploymentRequested request, Outcome outcome, String resumed) {
        if (!resumed.isEmpty()) {
            outcome = new Outcome(outcome.state(), outcome.reason() + resumed, outcome.attempts());
        }
        if (recorder.record(request, outcome)) {
            LOG.infof("Deployment %s of %s to %s: %s after %d %s to the target: %s", request.deploymentId(),
                    StateEvents.repository(request), request.environment(), outcome.state(), outcome.attempts(),
                    outcome.attempts() == 1 ? "call" : "calls", outcome.reason());
        }
    }

    /** @throws CallInterruptedException when the process stops during the call */
    private CompletionStage<Outcome> callTarget(DeploymentRequested request) {
        UUID id = request.deploymentId();
        try {
            return targets.deploy(request, () -> active.leaseHeld(id, config.leaseTtl()));
        } catch (CallInterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            // a defect of ours, not of the target: the run still ends, and the log has the details
            LOG.errorf(e, "Deployment %s: unexpected error while calling the target", id);
            return CompletableFuture.completedFuture(Outcome.failed("internal error in deploy-service while calling"
                    + " the target", 0));
        }
    }
}
