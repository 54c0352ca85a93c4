package io.trunkline.promotion.service;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a pull request's own environment is named: {@code <configured environment>/pr-<id>}, e.g.
 * {@code preview/pr-7}. Configured names cannot contain a slash, so the configured environment is always
 * found again from a deployment's environment. Pure.
 */
public final class PreviewEnvironments {

    private static final Pattern PREVIEW = Pattern.compile("(.+)/pr-(\\d+)");

    private PreviewEnvironments() {
    }

    public static String name(String configuredEnvironment, long pullRequestId) {
        return configuredEnvironment + "/pr-" + pullRequestId;
    }

    /** The configured environment a deployment's environment belongs to: itself, or a preview's parent. */
    public static String configured(String environment) {
        Matcher matcher = PREVIEW.matcher(environment);
        return matcher.matches() ? matcher.group(1) : environment;
    }

    public static boolean isPreview(String environment) {
        return PREVIEW.matcher(environment).matches();
    }
}
