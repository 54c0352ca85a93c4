package io.trunkline.status.service;

import io.trunkline.events.DeploymentStateChanged;

/**
 * What a deployment event says beyond its state: the branch or tag deployed, the environment's URL
 * (a preview's), who or what triggered the deployment, and the target run's link (a pipeline's page,
 * a Pulumi console URL). Each is null where the producer did not say.
 */
public record DeploymentDetails(String branch, String tag, String environmentUrl, String targetUrl, String triggeredBy) {

    /** The details of {@code event}. */
    public static DeploymentDetails of(DeploymentStateChanged event) {
        return new DeploymentDetails(blankToNull(event.branch()), blankToNull(event.tag()),
                blankToNull(event.environmentUrl()), blankToNull(event.targetUrl()), blankToNull(event.triggeredBy()));
    }

    /** The full ref deployed: {@code refs/tags/<tag>} or {@code refs/heads/<branch>}; null when neither is known. */
    public String refName() {
        if (tag != null) {
            return "refs/tags/" + tag;
        }
        return branch == null ? null : "refs/heads/" + branch;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
