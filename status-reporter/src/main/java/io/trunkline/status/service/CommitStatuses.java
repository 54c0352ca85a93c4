package io.trunkline.status.service;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.VerificationResult;
import io.trunkline.status.client.BuildState;
import io.trunkline.status.client.CommitStatus;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/** How a deployment state reads as a Bitbucket commit status. */
public final class CommitStatuses {

    /** Bitbucket refuses longer keys. */
    public static final int MAX_KEY_LENGTH = 40;
    /** Bitbucket keeps at most this many characters of a description. */
    public static final int MAX_DESCRIPTION_LENGTH = 255;

    static final String KEY_PREFIX = "trunkline-";
    private static final int KEY_HASH_LENGTH = 8;
    private static final Pattern PULL_REQUEST_SUFFIX = Pattern.compile("/pr-\\d+$");

    private CommitStatuses() {
    }

    /** The status of {@code event}'s deployment; {@code refName} is the full ref deployed, null where unknown. */
    public static CommitStatus of(DeploymentStateChanged event, String refName, String dashboardUrl) {
        return new CommitStatus(
                key(event.environment()),
                state(event.state()),
                name(event.environment()),
                url(dashboardUrl, event.deploymentId()),
                description(event),
                refName);
    }

    /** INPROGRESS while queued or running, SUCCESSFUL, FAILED (failed or rejected), STOPPED (superseded or cancelled). */
    public static BuildState state(DeploymentState state) {
        return switch (state) {
            case QUEUED, WAITING_APPROVAL, IN_PROGRESS -> BuildState.INPROGRESS;
            case SUCCEEDED -> BuildState.SUCCESSFUL;
            case FAILED, REJECTED -> BuildState.FAILED;
            case SUPERSEDED, CANCELLED -> BuildState.STOPPED;
        };
    }

    /**
     * {@code trunkline-<environment>}; a pull request's preview environment ({@code preview/pr-7}) is
     * keyed by the environment it belongs to ({@code trunkline-preview}). Where the key exceeds 40
     * characters, the environment is cut and followed by a short hash of its full name, so the key
     * stays the same for the same environment and differs between environments that share a long prefix.
     */
    public static String key(String environment) {
        String configured = PULL_REQUEST_SUFFIX.matcher(environment).replaceFirst("");
        String key = KEY_PREFIX + configured;
        if (key.length() <= MAX_KEY_LENGTH) {
            return key;
        }
        int keep = MAX_KEY_LENGTH - KEY_PREFIX.length() - 1 - KEY_HASH_LENGTH;
        if (Character.isHighSurrogate(configured.charAt(keep - 1))) {
            keep--; // never split a character in two
        }
        return KEY_PREFIX + configured.substring(0, keep) + "-" + hash(configured);
    }

    public static String name(String environment) {
        return "Trunkline " + environment;
    }

    public static String url(String dashboardUrl, UUID deploymentId) {
        String base = dashboardUrl.endsWith("/") ? dashboardUrl.substring(0, dashboardUrl.length() - 1) : dashboardUrl;
        return base + "/deployments/" + deploymentId;
    }

    /**
     * What the verify checks came to where the event carries their result (the failed check named), else the
     * event's reason where it gives one, otherwise what the state means; one line, at most 255 characters.
     */
    public static String description(DeploymentStateChanged event) {
        String text = verificationDescription(event);
        if (text == null) {
            text = event.reason() == null || event.reason().isBlank()
                    ? defaultDescription(event.operation(), event.state(), event.environment())
                    : event.reason();
        }
        String oneLine = text.replaceAll("\\s+", " ").trim();
        if (oneLine.length() <= MAX_DESCRIPTION_LENGTH) {
            return oneLine;
        }
        int cut = MAX_DESCRIPTION_LENGTH - 1;
        if (Character.isHighSurrogate(oneLine.charAt(cut - 1))) {
            cut--;
        }
        return oneLine.substring(0, cut) + "…";
    }

    /** The description of a state whose event carries the checks' result; null for others. */
    static String verificationDescription(DeploymentStateChanged event) {
        VerificationResult verification = event.verification();
        if (verification == null || verification.checks() == null) {
            return null;
        }
        int passed = (int) verification.checks().stream()
                .filter(check -> VerificationResult.PASSED.equals(check.outcome())).count();
        return switch (event.state()) {
            case IN_PROGRESS -> "Deployed to " + event.environment() + "; verifying (" + passed + " "
                    + (passed == 1 ? "check" : "checks") + " passed so far)";
            case SUCCEEDED -> "Deployed to " + event.environment() + " and verified: " + passed + " "
                    + (passed == 1 ? "check" : "checks") + " passed";
            case FAILED -> verification.failed() ? "Verification in " + event.environment() + " failed: check "
                    + verification.failedCheck() + verification.checks().stream()
                    .filter(check -> VerificationResult.FAILED.equals(check.outcome())).findFirst()
                    .map(check -> check.detail() == null ? "" : ": " + check.detail()).orElse("") : null;
            default -> null;
        };
    }

    static String defaultDescription(DeploymentOperation operation, DeploymentState state, String environment) {
        if (operation == DeploymentOperation.TEARDOWN) {
            return switch (state) {
                case QUEUED -> "Teardown of " + environment + " queued";
                case WAITING_APPROVAL -> "Teardown of " + environment + " waiting for approval";
                case IN_PROGRESS -> "Tearing down " + environment;
                case SUCCEEDED -> "Torn down " + environment;
                case FAILED -> "Teardown of " + environment + " failed";
                case REJECTED -> "Teardown of " + environment + " rejected";
                case SUPERSEDED -> "Teardown of " + environment + " superseded";
                case CANCELLED -> "Teardown of " + environment + " cancelled";
            };
        }
        return switch (state) {
            case QUEUED -> "Queued for " + environment;
            case WAITING_APPROVAL -> "Waiting for approval to deploy to " + environment;
            case IN_PROGRESS -> "Deploying to " + environment;
            case SUCCEEDED -> "Deployed to " + environment;
            case FAILED -> "Deployment to " + environment + " failed";
            case REJECTED -> "Deployment to " + environment + " rejected";
            case SUPERSEDED -> "Superseded by a newer commit for " + environment;
            case CANCELLED -> "Deployment to " + environment + " cancelled";
        };
    }

    private static String hash(String environment) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(environment.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, KEY_HASH_LENGTH);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
