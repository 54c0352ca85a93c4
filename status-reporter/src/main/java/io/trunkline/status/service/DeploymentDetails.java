package io.trunkline.status.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a deployment event may say beyond the fields of {@code DeploymentStateChanged} today: the
 * branch or tag deployed, the environment's URL (a preview's), the target run's link and who or what
 * triggered the deployment. Read from the event's JSON when the producer sends them, so that the
 * ref on commit statuses, the preview URL in PR comments and the links in the API appear as soon as
 * promotion-service and deploy-service publish them; every field is null where the event has none.
 * When these fields join the event record in {@code events}, this class reads them from there.
 */
public record DeploymentDetails(String branch, String tag, String environmentUrl, String targetUrl, String triggeredBy) {

    public static final DeploymentDetails NONE = new DeploymentDetails(null, null, null, null, null);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The details in an event's JSON; {@link #NONE} for JSON that is not an object (the event decoder judges that). */
    public static DeploymentDetails read(String eventJson) {
        try {
            JsonNode node = JSON.readTree(eventJson);
            if (node == null || !node.isObject()) {
                return NONE;
            }
            return new DeploymentDetails(text(node, "branch"), text(node, "tag"), text(node, "environmentUrl"),
                    text(node, "targetUrl"), text(node, "triggeredBy"));
        } catch (Exception e) {
            return NONE;
        }
    }

    /** The full ref deployed: {@code refs/tags/<tag>} or {@code refs/heads/<branch>}; null when neither is known. */
    public String refName() {
        if (tag != null) {
            return "refs/tags/" + tag;
        }
        return branch == null ? null : "refs/heads/" + branch;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.isTextual() || value.asText().isBlank() ? null : value.asText();
    }
}
