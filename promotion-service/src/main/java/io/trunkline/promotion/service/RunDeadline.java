package io.trunkline.promotion.service;

import io.trunkline.events.DeploymentState;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * When promotion-service gives up on a deployment it handed to deploy-service: one that is dispatched
 * and not finished (QUEUED once dispatched, or IN_PROGRESS) and has had no news for {@code limit} ends
 * FAILED, so that no environment stays blocked by a lost request or a run whose worker vanished.
 * Deployments waiting for approval or for their turn have nothing to hear from deploy-service and never
 * expire. Pure: no I/O.
 */
public record RunDeadline(Duration limit) {

    public RunDeadline {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("the run deadline must be positive, not " + limit);
        }
    }

    /** Whether a deployment in this state waits for news from deploy-service. */
    public static boolean awaitsNews(DeploymentState state, boolean dispatched) {
        return dispatched && (state == DeploymentState.QUEUED || state == DeploymentState.IN_PROGRESS);
    }

    /**
     * The time the deployment is given up unless deploy-service reports before, counted from its latest
     * news ({@code newsAt}: dispatch or state change); null when it does not await news.
     */
    public Instant giveUpAt(DeploymentState state, boolean dispatched, Instant newsAt) {
        return awaitsNews(state, dispatched) ? newsAt.plus(limit) : null;
    }

    /** Whether the deployment is to end FAILED now. */
    public boolean expired(DeploymentState state, boolean dispatched, Instant giveUpAt, Instant now) {
        return awaitsNews(state, dispatched) && giveUpAt != null && !now.isBefore(giveUpAt);
    }

    /** The reason a given-up deployment ends FAILED with. */
    public String reason() {
        return "no news from deploy-service within " + DurationText.of(limit);
    }
}
