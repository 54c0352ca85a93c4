package io.trunkline.deploy.service;

import io.trunkline.events.DeploymentState;

/**
 * How a deployment ended: SUCCEEDED or FAILED.
 *
 * @param reason what happened, for people: safe to publish, never a secret or a response body
 * @param attempts how many calls the target received
 */
public record Outcome(DeploymentState state, String reason, int attempts) {

    public static Outcome failed(String reason, int attempts) {
        return new Outcome(DeploymentState.FAILED, reason, attempts);
    }
}
