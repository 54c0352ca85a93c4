package io.trunkline.promotion.service;

import io.trunkline.events.DeploymentState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Every state change a deployment may make. A new deployment starts QUEUED, WAITING_APPROVAL or REJECTED.
 * WAITING_APPROVAL goes on to QUEUED (approved) or ends SUPERSEDED or CANCELLED. QUEUED is handed to
 * deploy-service, which reports IN_PROGRESS and the end (SUCCEEDED or FAILED; an outcome may arrive before
 * IN_PROGRESS), or ends SUPERSEDED, CANCELLED, FAILED (run deadline) or REJECTED (a soak that can no longer
 * be met). IN_PROGRESS ends SUCCEEDED, FAILED or CANCELLED. Ended deployments never change. Pure.
 */
public final class DeploymentTransitions {

    private static final Set<DeploymentState> INITIAL =
            EnumSet.of(DeploymentState.QUEUED, DeploymentState.WAITING_APPROVAL, DeploymentState.REJECTED);
    private static final Map<DeploymentState, Set<DeploymentState>> NEXT = Map.of(
            DeploymentState.WAITING_APPROVAL, EnumSet.of(DeploymentState.QUEUED, DeploymentState.SUPERSEDED,
                    DeploymentState.CANCELLED),
            DeploymentState.QUEUED, EnumSet.of(DeploymentState.IN_PROGRESS, DeploymentState.SUCCEEDED,
                    DeploymentState.FAILED, DeploymentState.SUPERSEDED, DeploymentState.CANCELLED,
                    DeploymentState.REJECTED),
            DeploymentState.IN_PROGRESS, EnumSet.of(DeploymentState.SUCCEEDED, DeploymentState.FAILED,
                    DeploymentState.CANCELLED));

    private DeploymentTransitions() {
    }

    /** Whether a deployment may start in {@code state}. */
    public static boolean initial(DeploymentState state) {
        return INITIAL.contains(state);
    }

    /** Whether a deployment in {@code from} may change to {@code to}. */
    public static boolean allowed(DeploymentState from, DeploymentState to) {
        return NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    /**
     * @throws IllegalStateException when the change is not allowed: a defect, never an input to accept
     */
    public static void check(DeploymentState from, DeploymentState to) {
        if (!allowed(from, to)) {
            throw new IllegalStateException("a deployment cannot go from " + from + " to " + to);
        }
    }
}
