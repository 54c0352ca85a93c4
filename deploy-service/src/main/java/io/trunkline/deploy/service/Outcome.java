package io.trunkline.deploy.service;

import io.trunkline.events.DeploymentState;
import io.trunkline.events.VerificationResult;

/**
 * How a deployment ended: SUCCEEDED or FAILED.
 *
 * @param reason what happened, for people: safe to publish, never a secret or a response body
 * @param attempts how many calls the target received
 * @param verification how the environment's verify checks went; null when there were none, or they did not run
 */
public record Outcome(DeploymentState state, String reason, int attempts, VerificationResult verification) {

    public Outcome(DeploymentState state, String reason, int attempts) {
        this(state, reason, attempts, null);
    }

    public static Outcome failed(String reason, int attempts) {
        return new Outcome(DeploymentState.FAILED, reason, attempts);
    }
}
