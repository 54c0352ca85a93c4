package io.trunkline.status.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.status.persistence.Deployment;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The preview comment's text: the preview's URL, the commit, the target run's link, the dashboard's page. */
class PreviewCommentsTest {

    private static Deployment preview(String targetUrl) {
        Deployment deployment = new Deployment();
        deployment.id = UUID.fromString("0b8e7c43-1a2b-4c3d-8e9f-112233445566");
        deployment.environment = "preview/pr-7";
        deployment.operation = DeploymentOperation.DEPLOY;
        deployment.commit = "9c4f1d2e8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d";
        deployment.state = DeploymentState.SUCCEEDED;
        deployment.environmentUrl = "https://pr-7.preview.example.com";
        deployment.targetUrl = targetUrl;
        return deployment;
    }

    @Test
    void namesTheTargetRunWhereTheTargetStartedOne() {
        String text = PreviewComments.text(preview("https://app.pulumi.com/acme/web/pr-7/deployments/3"),
                "https://trunkline.example.com/");

        assertThat(text).startsWith("### Trunkline preview: deployed ✅\n\n"
                + "- Environment: `preview/pr-7`\n"
                + "- Commit: `9c4f1d2e8a7b`\n"
                + "- Preview: https://pr-7.preview.example.com\n"
                + "- Run: https://app.pulumi.com/acme/web/pr-7/deployments/3\n"
                + "- Details: https://trunkline.example.com/deployments/0b8e7c43-1a2b-4c3d-8e9f-112233445566\n");
    }

    @Test
    void saysNothingOfARunWhereThereIsNone() {
        assertThat(PreviewComments.text(preview(null), "https://trunkline.example.com")).doesNotContain("- Run:");
    }
}
