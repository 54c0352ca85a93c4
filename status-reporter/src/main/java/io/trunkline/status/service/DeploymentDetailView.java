package io.trunkline.status.service;

import io.trunkline.events.DeploymentState;
import io.trunkline.events.VerificationResult;
import java.time.Instant;
import java.util.List;

/**
 * One deployment with its timeline (every state it entered, oldest first), how reporting it to
 * Bitbucket goes ({@code pendingUpdates} not yet accepted, the last error while retrying, or the refusal),
 * and how its verify checks went ({@code verification}: outcome {@code running}, {@code passed} or
 * {@code failed}, the failed check, each check's result with newman's summary for a Postman collection; null
 * where the environment has no checks or they have not run).
 */
public record DeploymentDetailView(DeploymentView deployment, List<TimelineEntry> timeline, Reporting reporting,
        VerificationResult verification) {

    /** A state the deployment entered, when, and why. */
    public record TimelineEntry(DeploymentState state, String reason, Instant at) {
    }

    /**
     * {@code status}: {@code reported} (Bitbucket has every update), {@code pending} (updates wait to be
     * posted, {@code lastError} says why where an attempt failed) or {@code refused} (Bitbucket refused for
     * good, {@code refusal} says why; the deployment's state is unaffected).
     */
    public record Reporting(String status, int pendingUpdates, String lastError, String refusal, Instant refusedAt) {
    }
}
