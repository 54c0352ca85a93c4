package io.trunkline.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.commons.messaging.RetryUntilDone;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.deploy.persistence.DeploymentRun;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Records the outcome of a target call, and its state event in the outbox, in one transaction
 * that is retried until it goes through ({@link RetryUntilDone}, as the consumers wait out
 * outages): once the target was called its outcome is never lost to a database outage, and the
 * target is never called again for it; the service is not ready while the retries last. The
 * outcome only applies while this instance still holds the run; when recovery ended it meanwhile,
 * the real outcome is logged as a warning. The state names the page of the run the target started,
 * where it started one, and carries the verify checks' result where they ran (kept on the run as well).
 */
@ApplicationScoped
public class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeploymentRuns runs;
    private final Outbox outbox;
    private final InstanceId instance;
    private final RetryUntilDone retry;

    public OutcomeRecorder(DeploymentRuns runs, Outbox outbox, InstanceId instance, RetryUntilDone retry) {
        this.runs = runs;
        this.outbox = outbox;
        this.instance = instance;
        this.retry = retry;
    }

    /** @return whether the outcome was recorded; false when the run had been taken over or ended elsewhere */
    public boolean record(DeploymentRequested request, Outcome outcome) {
        // an outage is waited out; anything else is most likely a defect, retried all the same (and
        // logged in full): giving up would lose the outcome of a deployment that happened
        return retry.get("deploy-service/recording outcomes",
                "deployment " + request.deploymentId() + " " + outcome.state() + ": " + outcome.reason(),
                () -> recordOnce(request, outcome));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the verification", e);
        }
    }

    private boolean recordOnce(DeploymentRequested request, Outcome outcome) {
        Optional<DeploymentRun> takenBy = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            Optional<DeploymentRuns.Finished> finished = runs.finish(request.deploymentId(), instance.id(),
                    outcome.state(), outcome.attempts(), outcome.reason(), now);
            if (finished.isPresent()) {
                if (outcome.verification() != null) {
                    runs.recordVerification(request.deploymentId(), json(outcome.verification()));
                }
                outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, outcome.state(), outcome.reason(), now,
                        finished.get().link()).withVerification(outcome.verification()));
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
                request.environment(), outcome.state(), outcome.reason(), run.state(),
                run.reason() == null ? " (lease held by " + run.leaseOwner() + ")" : ": " + run.reason());
        return false;
    }
}
