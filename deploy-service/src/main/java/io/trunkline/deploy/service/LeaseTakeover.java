package io.trunkline.deploy.service;

import io.trunkline.events.DeploymentRequested;
import java.time.Instant;

/**
 * What recovery does with a run in progress whose lease it found expired. Pure: no I/O.
 */
public final class LeaseTakeover {

    /** The reason a run ends with when its worker stopped while the outcome was not known. */
    public static final String STOPPED_DURING_THE_CALL = "outcome unknown: deploy-service stopped during the call";

    private LeaseTakeover() {
    }

    public enum Decision {
        /** Not abandoned: the lease is still valid, or this instance's own worker is still on it. */
        LEAVE,
        /** Take the lease, and follow the run the target started or call the idempotent target again. */
        RESUME,
        /** End the run FAILED: calling again could deploy twice, or nobody waits for the result any more. */
        FAIL
    }

    /**
     * @param expiresAt when the lease ends (expired once it is before {@code databaseNow}); null for a run that never had one
     * @param databaseNow now, on the database's clock (the clock leases are set with)
     * @param workedOnHere this instance's worker is on the run (its renewals failed, it is alive)
     * @param request the stored request; null when it is missing or unreadable
     * @param startedRun whether the run the target started (a pipeline, a Pulumi deployment) was stored:
     *                   following it again calls nothing that deploys
     */
    public static Decision decide(Instant expiresAt, Instant databaseNow, boolean workedOnHere,
            DeploymentRequested request, boolean startedRun) {
        if (workedOnHere || (expiresAt != null && !expiresAt.isBefore(databaseNow))) {
            return Decision.LEAVE;
        }
        if (request == null || request.target() == null || !(startedRun || request.target().allowsRepeatedCalls())) {
            return Decision.FAIL;
        }
        if (request.notAfter() != null && !databaseNow.isBefore(request.notAfter())) {
            return Decision.FAIL; // promotion-service has given up on it: a late deployment would surprise everyone
        }
        return Decision.RESUME;
    }
}
