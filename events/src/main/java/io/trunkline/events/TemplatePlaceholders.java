package io.trunkline.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The placeholders a configuration's templates may use (target URL, headers, body, pipeline variables,
 * an environment's URL) and their syntax, in one place for the configuration validator and every
 * expander. A placeholder is {@code {name}}: a name of ASCII letters and digits starting with a letter, in
 * braces; anything else in braces (a JSON body's {@code {"a": 1}}, {@code { commit }}) is literal text.
 * In a URL each value is percent-encoded as a path segment or query value needs it (everything but
 * letters, digits and {@code - . _ ~}); in headers, bodies and variables it is inserted as it is. A value
 * the deployment does not have (no tag on a branch deployment, no pull request) expands to nothing.
 */
public final class TemplatePlaceholders {

    /** Every placeholder, in the order the documentation lists them. */
    public static final List<String> NAMES = List.of("workspace", "slug", "repository", "branch", "tag", "commit",
            "shortCommit", "pr", "environment", "deploymentId");

    /**
     * The placeholder only an environment's {@code verify} checks have besides {@link #NAMES}: the environment's
     * {@code url}, expanded. It is a URL already, so it is inserted as it is, never percent-encoded.
     */
    public static final String URL = "url";

    /** Every placeholder a {@code verify} check's templates may use: {@link #NAMES} and {@link #URL}. */
    public static final List<String> VERIFY_NAMES = Stream.concat(NAMES.stream(), Stream.of(URL)).toList();

    /** The syntax: group 1 is the name. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z][A-Za-z0-9]*)}");

    /** Length of {@code {shortCommit}}, as git and Bitbucket abbreviate hashes. */
    public static final int SHORT_COMMIT_LENGTH = 7;

    private TemplatePlaceholders() {
    }

    /** The placeholder names a template uses that are not in {@link #NAMES}, in order, each once. */
    public static List<String> unknownNames(String template) {
        return unknownNames(template, NAMES);
    }

    /** The placeholder names a template uses that are not in {@code known}, in order, each once. */
    public static List<String> unknownNames(String template, List<String> known) {
        List<String> unknown = new ArrayList<>();
        if (template == null) {
            return unknown;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        while (matcher.find()) {
            if (!known.contains(matcher.group(1)) && !unknown.contains(matcher.group(1))) {
                unknown.add(matcher.group(1));
            }
        }
        return unknown;
    }

    /** The values of a deployment's placeholders; a null argument leaves its placeholders empty. */
    public static Map<String, String> values(RepositoryRef repository, String environment, String commit, String branch,
            String tag, Long pullRequestId, String deploymentId) {
        Map<String, String> values = new LinkedHashMap<>();
        if (repository != null) {
            values.put("workspace", repository.workspace());
            values.put("slug", repository.slug());
            values.put("repository", repository.fullName());
        }
        values.put("branch", branch);
        values.put("tag", tag);
        values.put("commit", commit);
        values.put("shortCommit", commit == null ? null : commit.substring(0, Math.min(SHORT_COMMIT_LENGTH, commit.length())));
        values.put("pr", pullRequestId == null ? null : pullRequestId.toString());
        values.put("environment", environment);
        values.put("deploymentId", deploymentId);
        return values;
    }

    /**
     * Expands a URL template, percent-encoding each value.
     *
     * @throws IllegalArgumentException naming the first unknown placeholder
     */
    public static String expandUrl(String template, Map<String, String> values) {
        return expand(template, values, true);
    }

    /**
     * Expands a header, body or variable template, inserting each value unchanged.
     *
     * @throws IllegalArgumentException naming the first unknown placeholder
     */
    public static String expandText(String template, Map<String, String> values) {
        return expand(template, values, false);
    }

    private static String expand(String template, Map<String, String> values, boolean encode) {
        if (template == null) {
            return null;
        }
        Matcher matcher = PLACEHOLDER.matcher(template);
        StringBuilder expanded = new StringBuilder(template.length());
        while (matcher.find()) {
            String name = matcher.group(1);
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown placeholder {" + name + "}; known: "
                        + String.join(", ", NAMES.stream().map(known -> "{" + known + "}").toList()));
            }
            String value = values.get(name);
            value = value == null ? "" : value;
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(encode ? encode(value) : value));
        }
        matcher.appendTail(expanded);
        return expanded.toString();
    }

    /** RFC 3986 percent-encoding of everything but the unreserved characters. */
    public static String encode(String value) {
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
