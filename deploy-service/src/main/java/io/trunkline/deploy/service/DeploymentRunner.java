package io.trunkline.deploy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Runs a requested deployment at most once, in three steps:
 * <ol>
 *   <li>one transaction claims the deployment id and records IN_PROGRESS in the outbox; a
 *       deployment already claimed (a redelivery) stops here, calling nothing;</li>
 *   <li>the target is called, outside any transaction;</li>
 *   <li>another transaction records the outcome and SUCCEEDED or FAILED in the outbox.</li>
 * </ol>
 * A process that dies after step 1 and before step 3 leaves the run IN_PROGRESS: the target is
 * never called twice, and the outcome is never recorded (see the README).
 */
@ApplicationScoped
public class DeploymentRunner {

    private static final Logger LOG = Logger.getLogger(DeploymentRunner.class);

    private final DeploymentRuns runs;
    private final Outbox outbox;
    private final DeploymentTargets targets;

    public DeploymentRunner(DeploymentRuns runs, Outbox outbox, DeploymentTargets targets) {
        this.runs = runs;
        this.outbox = outbox;
        this.targets = targets;
    }

    /** @return false when the deployment had already been claimed and nothing was done */
    public boolean run(DeploymentRequested request) {
        boolean claimed = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            if (!runs.claim(request.deploymentId(), request.eventId(), now)) {
                return false;
            }
            outbox.append(Topics.DEPLOYMENT_STATUS, stateChanged(request, DeploymentState.IN_PROGRESS,
                    "deploy-service is calling the " + targetType(request) + " target", now));
            return true;
        });
        if (!claimed) {
            LOG.infof("Deployment %s of %s to %s: already started, request %s skipped",
                    request.deploymentId(), repository(request), request.environment(), request.eventId());
            return false;
        }
        LOG.infof("Deployment %s of %s to %s: %s started (%s target)", request.deploymentId(),
                repository(request), request.environment(), operation(request), targetType(request));

        Outcome outcome = callTarget(request);

        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            if (runs.finish(request.deploymentId(), outcome.state(), outcome.attempts(), outcome.reason(), now)) {
                outbox.append(Topics.DEPLOYMENT_STATUS, stateChanged(request, outcome.state(), outcome.reason(), now));
            }
        });
        LOG.infof("Deployment %s of %s to %s: %s after %d %s to the target: %s", request.deploymentId(),
                repository(request), request.environment(), outcome.state(), outcome.attempts(),
                outcome.attempts() == 1 ? "call" : "calls", outcome.reason());
        return true;
    }

    private Outcome callTarget(DeploymentRequested request) {
        try {
            return targets.deploy(request);
        } catch (RuntimeException e) {
            // a defect of ours, not of the target: the run still ends, and the log has the details
            LOG.errorf(e, "Deployment %s: unexpected error while calling the target", request.deploymentId());
            return Outcome.failed("internal error in deploy-service while calling the target", 0);
        }
    }

    private static DeploymentStateChanged stateChanged(DeploymentRequested request, DeploymentState state,
            String reason, Instant at) {
        return new DeploymentStateChanged(UUID.randomUUID(), at, request.deploymentId(), request.repository(),
                request.environment(), request.operation(), request.commit(), request.pullRequestId(), state, reason);
    }

    private static String repository(DeploymentRequested request) {
        return request.repository() == null ? "?" : request.repository().fullName();
    }

    private static String operation(DeploymentRequested request) {
        return request.operation() == null ? "deploy" : request.operation().name().toLowerCase();
    }

    private static String targetType(DeploymentRequested request) {
        return request.target() == null || request.target().type() == null ? "unknown" : request.target().type();
    }
}
