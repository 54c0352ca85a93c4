package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * Where and how a deployment is carried out, with its templates not yet expanded.
 * Which fields apply depends on {@code type}: {@code http} (method, url, headers, body, auth),
 * {@code bitbucket-pipeline} (pipeline, variables), {@code pulumi} (organization, project, stack, operation).
 * {@code idempotent}: a call whose outcome is unknown (the caller stopped, or the target did not answer
 * in time) may be repeated; without it such a call ends the deployment FAILED rather than risk a
 * second deployment.
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
        Boolean idempotent) {

    public static final String HTTP = "http";
    public static final String BITBUCKET_PIPELINE = "bitbucket-pipeline";
    public static final String PULUMI = "pulumi";

    public static TargetSpec http(String method, String url, CredentialRef auth) {
        return new TargetSpec(HTTP, method, url, Map.of(), null, auth, null, Map.of(), null, null, null, null, null);
    }

    /** Whether a call with an unknown outcome may be repeated. */
    public boolean allowsRepeatedCalls() {
        return Boolean.TRUE.equals(idempotent);
    }
}
