package io.trunkline.deploy.service;

import io.trunkline.events.DeploymentRequested;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {@code {name}} placeholders of a target's url, headers and body with what the
 * deployment is about. In a URL each value is percent-encoded as a path segment or query value
 * would need it (everything but letters, digits and {@code - . _ ~}; a space is {@code %20}, a
 * slash {@code %2F}); in headers and bodies it is inserted as it is. A value the deployment does not
 * have (no tag on a branch deployment) expands to nothing; a name not in {@link #NAMES} fails the
 * deployment.
 */
public final class TemplateExpander {

    /** Every placeholder a target may use. */
    public static final List<String> NAMES = List.of("workspace", "slug", "repository", "branch", "tag",
            "commit", "shortCommit", "pr", "environment", "deploymentId");

    /** Length of {@code {shortCommit}}, as git and Bitbucket abbreviate hashes. */
    public static final int SHORT_COMMIT_LENGTH = 7;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    private final Map<String, String> values;

    /** @param values placeholder name to value; names of {@link #NAMES} left out or null expand to nothing */
    public TemplateExpander(Map<String, String> values) {
        this.values = new HashMap<>(values);
    }

    public static TemplateExpander forDeployment(DeploymentRequested request) {
        Map<String, String> values = new LinkedHashMap<>();
        if (request.repository() != null) {
            values.put("workspace", request.repository().workspace());
            values.put("slug", request.repository().slug());
            values.put("repository", request.repository().fullName());
        }
        values.put("branch", request.branch());
        values.put("tag", request.tag());
        values.put("commit", request.commit());
        values.put("shortCommit", request.commit() == null ? null
                : request.commit().substring(0, Math.min(SHORT_COMMIT_LENGTH, request.commit().length())));
        values.put("pr", request.pullRequestId() == null ? null : request.pullRequestId().toString());
        values.put("environment", request.environment());
        values.put("deploymentId", request.deploymentId() == null ? null : request.deploymentId().toString());
        return new TemplateExpander(values);
    }

    /**
     * Expands a URL template, percent-encoding each value.
     *
     * @param where names the template in the failure reason, e.g. "target url"
     */
    public String expandUrl(String template, String where) {
        return expand(template, where, true);
    }

    /** Expands a header or body template, inserting each value unchanged. */
    public String expandText(String template, String where) {
        return expand(template, where, false);
    }

    private String expand(String template, String where, boolean encode) {
        if (template == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder expanded = new StringBuilder(template.length());
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!NAMES.contains(name)) {
                throw new DeploymentFailedException("unknown placeholder {" + name + "} in " + where
                        + "; known: " + String.join(", ", NAMES.stream().map(n -> "{" + n + "}").toList()));
            }
            String value = values.get(name);
            value = value == null ? "" : value;
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(encode ? encode(value) : value));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters. */
    static String encode(String value) {
        StringBuilder encoded = new StringBuilder(value.length());
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                encoded.append(c);
            } else {
                encoded.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return encoded.toString();
    }
}
