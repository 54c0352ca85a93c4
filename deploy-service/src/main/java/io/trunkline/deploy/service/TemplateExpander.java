package io.trunkline.deploy.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.TemplatePlaceholders;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills the {@code {name}} placeholders of a target's url, headers and body with what the
 * deployment is about, so that no value can change the structure it lands in. In a URL each value is
 * percent-encoded as a path segment or query value would need it (everything but letters, digits and
 * {@code - . _ ~}; a space is {@code %20}, a slash {@code %2F}). In a JSON body a value inside a
 * string is JSON-escaped, and a placeholder standing for a whole value becomes a JSON string (a
 * number when the value is an integer, {@code null} when the deployment has no such value); the
 * result must be valid JSON. In a form body values are percent-encoded; in headers and other bodies
 * they are inserted as they are. A value the deployment does not have (no tag on a branch deployment)
 * expands to nothing; a name not in {@link #NAMES} fails the deployment.
 */
public final class TemplateExpander {

    /** Every placeholder a target may use (the list the configuration validator checks against). */
    public static final List<String> NAMES = TemplatePlaceholders.NAMES;

    private static final Pattern PLACEHOLDER = TemplatePlaceholders.PLACEHOLDER;
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,17})");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, String> values;

    /** @param values placeholder name to value; names of {@link #NAMES} left out or null expand to nothing */
    public TemplateExpander(Map<String, String> values) {
        this.values = new HashMap<>(values);
    }

    public static TemplateExpander forDeployment(DeploymentRequested request) {
        return new TemplateExpander(TemplatePlaceholders.values(request.repository(), request.environment(),
                request.commit(), request.branch(), request.tag(), request.pullRequestId(),
                request.deploymentId() == null ? null : request.deploymentId().toString()));
    }

    /**
     * Expands a URL template, percent-encoding each value.
     *
     * @param where names the template in the failure reason, e.g. "target url"
     */
    public String expandUrl(String template, String where) {
        return expand(template, where, true);
    }

    /** Expands a header template, inserting each value unchanged. */
    public String expandText(String template, String where) {
        return expand(template, where, false);
    }

    /**
     * Expands a body template as its content type needs: JSON (no content type, or one naming
     * {@code json}) escaped and checked, a form ({@code application/x-www-form-urlencoded})
     * percent-encoded, anything else inserted as it is.
     *
     * @throws DeploymentFailedException when a JSON body is not valid JSON once expanded
     */
    public String expandBody(String template, String contentType, String where) {
        if (template == null) {
            return null;
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        if (type.isEmpty() || type.contains("json")) {
            String json = expandJson(template, where);
            try {
                JSON.readTree(json);
            } catch (JsonProcessingException e) {
                throw new DeploymentFailedException(where + " is not valid JSON once its placeholders are filled in");
            }
            return json;
        }
        return expand(template, where, type.contains("x-www-form-urlencoded"));
    }

    /** Walks the JSON template keeping track of strings, so that each value is escaped for where it lands. */
    private String expandJson(String template, String where) {
        StringBuilder expanded = new StringBuilder(template.length());
        Matcher matcher = PLACEHOLDER.matcher(template);
        boolean inString = false;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '{' && matcher.region(i, template.length()).lookingAt()) {
                String value = value(matcher.group(1), where);
                if (inString) {
                    expanded.append(JsonStringEncoder.getInstance().quoteAsString(value));
                } else if (value.isEmpty()) {
                    expanded.append("null");
                } else if (INTEGER.matcher(value).matches()) {
                    expanded.append(value);
                } else {
                    expanded.append('"').append(JsonStringEncoder.getInstance().quoteAsString(value)).append('"');
                }
                i = matcher.end() - 1;
                continue;
            }
            expanded.append(c);
            if (inString && c == '\\' && i + 1 < template.length()) {
                expanded.append(template.charAt(++i));
            } else if (c == '"') {
                inString = !inString;
            }
        }
        return expanded.toString();
    }

    private String value(String name, String where) {
        if (!NAMES.contains(name)) {
            throw new DeploymentFailedException("unknown placeholder {" + name + "} in " + where
                    + "; known: " + String.join(", ", NAMES.stream().map(n -> "{" + n + "}").toList()));
        }
        String value = values.get(name);
        return value == null ? "" : value;
    }

    private String expand(String template, String where, boolean encode) {
        if (template == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder expanded = new StringBuilder(template.length());
        while (matcher.find()) {
            String value = value(matcher.group(1), where);
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(encode ? encode(value) : value));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters. */
    static String encode(String value) {
        return TemplatePlaceholders.encode(value);
    }
}
