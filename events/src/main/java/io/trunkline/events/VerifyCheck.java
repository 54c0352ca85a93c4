package io.trunkline.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * One post-deploy check of an environment's {@code verify} list, with its templates not yet expanded
 * (the deployment's placeholders and {@code {url}}, the environment's URL). deploy-service runs the checks
 * after the target reported success; the deployment succeeds only when all pass.
 * <ul>
 *   <li>{@code http}: {@code url} polled (GET) until its answer meets {@code expect}, at most {@code retries}
 *       more times, {@code interval} apart, each request bounded by {@code timeout};</li>
 *   <li>{@code postman}: the Postman {@code collection} ({@code file:/path} under the secrets directory, or an
 *       {@code https://} URL) run with newman, with {@code environment} as its variables (templates allowed;
 *       a variable whose value is a reference {@code env:TRUNKLINE_TARGET_*} or {@code file:/path} is a
 *       secret, resolved by deploy-service and never logged), bounded by {@code timeout}.</li>
 * </ul>
 * {@code name}, optional, names the check in reasons and reports; without it the check is named by its type
 * and position ({@code "http check 1"}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record VerifyCheck(
        String name,
        String type,
        String url,
        Expect expect,
        Integer retries,
        String interval,
        String timeout,
        String collection,
        Map<String, String> environment) {

    public static final String HTTP = "http";
    public static final String POSTMAN = "postman";

    public static VerifyCheck http(String url, Expect expect, Integer retries, String interval, String timeout) {
        return new VerifyCheck(null, HTTP, url, expect, retries, interval, timeout, null, null);
    }

    public static VerifyCheck postman(String collection, Map<String, String> environment, String timeout) {
        return new VerifyCheck(null, POSTMAN, null, null, null, null, timeout, collection, environment);
    }

    /** The name reports and reasons use: {@code name}, else {@code "<type> check <position>"} (1-based). */
    public String displayName(int index) {
        return name != null && !name.isBlank() ? name : (type == null ? "check" : type + " check") + " " + (index + 1);
    }

    /**
     * What an {@code http} check's answer must be: {@code status} (default 200), the body containing
     * {@code bodyContains}, and the JSON answer holding {@code equals} at {@code jsonPointer} (RFC 6901; a
     * missing {@code equals} means "present").
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Expect(Integer status, String bodyContains, String jsonPointer,
            @JsonProperty("equals") JsonNode expected) {
    }
}
