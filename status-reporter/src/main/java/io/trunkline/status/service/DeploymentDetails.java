package io.trunkline.status.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.events.DeploymentStateChanged;

/**
 * What a deployment event says beyond its state: the branch or tag deployed, the environment's URL
 * (a preview's), who or what triggered the deployment, and the target run's link (a pipeline's page,
 * a Pulumi console URL). Each is null where the producer did not say.
 */
public record DeploymentDetails(String branch, String tag, String environmentUrl, String targetUrl, String triggeredBy) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The details of {@code event}. The target run's link is not a field of {@code DeploymentStateChanged}
     * yet: until it is, it is read from the event's JSON ({@code targetUrl}) where a producer sends it.
     */
    public static DeploymentDetails of(DeploymentStateChanged event, String eventJson) {
        return new DeploymentDetails(blankToNull(event.branch()), blankToNull(event.tag()),
                blankToNull(event.environmentUrl()), targetUrl(eventJson), blankToNull(event.triggeredBy()));
    }

    /** The full ref deployed: {@code refs/tags/<tag>} or {@code refs/heads/<branch>}; null when neither is known. */
    public String refName() {
        if (tag != null) {
            return "refs/tags/" + tag;
        }
        return branch == null ? null : "refs/heads/" + branch;
    }

    private static String targetUrl(String eventJson) {
        try {
            JsonNode value = JSON.readTree(eventJson).get("targetUrl");
            return value == null || !value.isTextual() ? null : blankToNull(value.asText());
        } catch (Exception e) {
            return null; // the event itself was read; a link it does not carry is just unknown
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
