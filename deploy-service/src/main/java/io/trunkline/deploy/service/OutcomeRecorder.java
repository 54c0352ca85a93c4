package io.trunkline.deploy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.faulttolerance.api.Guard;
import io.trunkline.commons.config.ConsumerConfig;
import io.trunkline.commons.messaging.ConsumerStalls;
import io.trunkline.commons.messaging.FailureClassifier;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records the outcome of a target call, and its state event in the outbox, in one transaction
 * that is retried until it goes through: once the target was called its outcome is never lost to a
 * database outage, and the target is never called again for it. Retries wait with exponential
 * backoff and jitter ({@code trunkline.consumer.*}, as the consumers wait out outages) and the
 * service is not ready while they last. The outcome only applies while this instance still holds
 * the run; when recovery ended it meanwhile, the real outcome is logged as a warning.
 */
@ApplicationScoped
public class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);

    private final DeploymentRuns runs;
    private final Outbox outbox;
    private final InstanceId instance;
    private final ConsumerStalls stalls;
    private final Guard guard;

    public OutcomeRecorder(DeploymentRuns runs, Outbox outbox, InstanceId instance, ConsumerStalls stalls,
            ConsumerConfig retries) {
        this.runs = runs;
        this.outbox = outbox;
        this.instance = instance;
        this.stalls = stalls;
        this.guard = Guard.create()
                .withDescription("deploy-service outcome recording")
                .withRetry()
                .maxRetries(-1)
                .maxDuration(0, ChronoUnit.MILLIS)
                .delay(retries.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(retries.jitter().toMillis(), ChronoUnit.MILLIS)
                // an outage is waited out; anything else is most likely a defect, retried all the same
                // (and logged in full): giving up would lose the outcome of a deployment that happened
                .whenException(failure -> FailureClassifier.classify(failure) != FailureClassifier.Kind.POISON)
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(retries.maxBackoff().toMillis(), ChronoUnit.MILLIS)
                .done()
                .done()
                .build();
    }

    /** @return whether the outcome was recorded; false when the run had been taken over or ended elsewhere */
    public boolean record(DeploymentRequested request, Outcome outcome) {
        String stall = "deploy-service/recording the outcome of deployment " + request.deploymentId();
        boolean[] failedBefore = {false};
        try {
            return guard.get(() -> {
                try {
                    return recordOnce(request, outcome);
                } catch (RuntimeException e) {
                    onFailure(request, outcome, stall, e, !failedBefore[0]);
                    failedBefore[0] = true;
                    throw e;
                }
            }, Boolean.class);
        } finally {
            stalls.cleared(stall);
        }
    }

    private boolean recordOnce(DeploymentRequested request, Outcome outcome) {
        Optional<DeploymentRun> takenBy = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            if (runs.finish(request.deploymentId(), instance.id(), outcome.state(), outcome.attempts(),
                    outcome.reason(), now)) {
                outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, outcome.state(), outcome.reason(), now));
                return Optional.empty();
            }
            return runs.find(request.deploymentId());
        });
        if (takenBy.isEmpty()) {
            return true;
        }
        DeploymentRun run = takenBy.get();
        LOG.warnf("Deployment %s of %s to %s: the target's outcome was %s (%s), but the run was no longer this "
                        + "instance's to record: it is %s%s", request.deploymentId(), StateEvents.repository(request),
                request.environment(), outcome.state(), outcome.reason(), run.state,
                run.reason == null ? " (lease held by " + run.leaseOwner + ")" : ": " + run.reason);
        return false;
    }

    private void onFailure(DeploymentRequested request, Outcome outcome, String stall, RuntimeException failure,
            boolean first) {
        FailureClassifier.Kind kind = FailureClassifier.classify(failure);
        String reason = reasonOf(failure);
        stalls.stalled(stall, reason);
        if (first && kind == FailureClassifier.Kind.UNEXPECTED) {
            LOG.errorf(failure, "Deployment %s: cannot record its outcome %s (%s) yet; retrying until it is recorded",
                    request.deploymentId(), outcome.state(), outcome.reason());
        } else if (first) {
            LOG.warnf("Deployment %s: cannot record its outcome %s (%s) yet, retrying until it is recorded: %s",
                    request.deploymentId(), outcome.state(), outcome.reason(), reason);
        } else {
            LOG.debugf("Deployment %s: still cannot record its outcome: %s", request.deploymentId(), reason);
        }
    }

    /** The innermost failure's class and message, on one line: what the readiness check shows. */
    private static String reasonOf(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage().replaceAll("\\s+", " ");
        String text = root.getClass().getSimpleName() + message;
        return text.length() > 300 ? text.substring(0, 300) + "…" : text;
    }
}
