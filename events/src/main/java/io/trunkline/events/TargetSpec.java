package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Where and how a deployment is carried out, with its templates not yet expanded.
 * Which fields apply depends on {@code type}: {@code http} (method, url, headers, body, auth, success),
 * {@code bitbucket-pipeline} (pipeline, variables, follow), {@code pulumi} (organization, project, stack,
 * operation, follow).
 * {@code idempotent}: a call whose outcome is unknown (the caller stopped, or the target did not answer
 * in time) may be repeated; without it such a call ends the deployment FAILED rather than risk a
 * second deployment.
 * {@code success}: for targets that answer 2xx on failure (Appsmith), the condition on the JSON answer
 * that says the deployment succeeded; null for "any 2xx".
 * {@code follow}: how a run the target starts (a pipeline, a Pulumi deployment) is followed; null for the
 * defaults.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TargetSpec(
        String type,
        String method,
        String url,
        Map<String, String> headers,
        String body,
        CredentialRef auth,
        String pipeline,
        Map<String, String> variables,
        String organization,
        String project,
        String stack,
        String operation,
        Boolean idempotent,
        SuccessCondition success,
        FollowUp follow) {

    public static final String HTTP = "http";
    public static final String BITBUCKET_PIPELINE = "bitbucket-pipeline";
    public static final String PULUMI = "pulumi";

    public static TargetSpec http(String method, String url, CredentialRef auth) {
        return new TargetSpec(HTTP, method, url, Map.of(), null, auth, null, Map.of(), null, null, null, null, null,
                null, null);
    }

    /** Whether a call with an unknown outcome may be repeated. */
    public boolean allowsRepeatedCalls() {
        return Boolean.TRUE.equals(idempotent);
    }

    /**
     * The deployment succeeded only if the JSON answer holds {@code expected} at {@code pointer}
     * (RFC 6901, e.g. {@code /responseMeta/success}); written {@code {"pointer": ..., "equals": ...}}.
     * A missing {@code equals} means {@code true}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record SuccessCondition(String pointer, @JsonProperty("equals") JsonNode expected) {
    }

    /**
     * How often a started run is polled and how long it may take in all, as durations such as
     * {@code "5s"} or {@code "60m"}; null for deploy-service's defaults.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FollowUp(String interval, String deadline) {
    }
}
