package io.trunkline.status.service;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.status.persistence.Deployment;

/** The text of the one comment Trunkline keeps on a pull request with a preview (Markdown, Cloud and Data Center alike). */
public final class PreviewComments {

    /** An invisible line in the comment by which Trunkline finds its own comment again. */
    public static final String MARKER = "trunkline-preview-comment";

    private static final int SHORT_COMMIT = 12;

    private PreviewComments() {
    }

    public static String text(Deployment deployment, String dashboardUrl) {
        boolean teardown = deployment.operation == DeploymentOperation.TEARDOWN;
        StringBuilder text = new StringBuilder();
        text.append("### Trunkline preview: ").append(headline(deployment.state, teardown)).append("\n\n");
        text.append("- Environment: `").append(deployment.environment).append("`\n");
        if (deployment.commit != null) {
            text.append("- Commit: `")
                    .append(deployment.commit, 0, Math.min(SHORT_COMMIT, deployment.commit.length())).append("`\n");
        }
        boolean gone = teardown && deployment.state == DeploymentState.SUCCEEDED;
        if (deployment.environmentUrl != null && !gone) {
            text.append("- Preview: ").append(deployment.environmentUrl).append("\n");
        }
        if (deployment.targetUrl != null) {
            text.append("- Run: ").append(deployment.targetUrl).append("\n");
        }
        if (deployment.reason != null && !deployment.reason.isBlank()) {
            text.append("- Why: ").append(deployment.reason.replaceAll("\\s+", " ").trim()).append("\n");
        }
        text.append("- Details: ").append(CommitStatuses.url(dashboardUrl, deployment.id)).append("\n\n");
        text.append(gone ? "The preview was removed." : "Trunkline edits this comment on each new commit of the pull request.")
                .append("\n\n[//]: # (").append(MARKER).append(")\n");
        return text.toString();
    }

    static String headline(DeploymentState state, boolean teardown) {
        if (teardown) {
            return switch (state) {
                case QUEUED, WAITING_APPROVAL -> "teardown queued";
                case IN_PROGRESS -> "tearing down";
                case SUCCEEDED -> "torn down 🧹";
                case FAILED, REJECTED -> "teardown failed ❌";
                case SUPERSEDED, CANCELLED -> "teardown cancelled";
            };
        }
        return switch (state) {
            case QUEUED -> "queued ⏳";
            case WAITING_APPROVAL -> "waiting for approval ⏸";
            case IN_PROGRESS -> "deploying 🚀";
            case SUCCEEDED -> "deployed ✅";
            case FAILED -> "failed ❌";
            case REJECTED -> "rejected ⛔";
            case SUPERSEDED -> "superseded by a newer commit";
            case CANCELLED -> "cancelled";
        };
    }
}
