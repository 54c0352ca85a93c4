package io.trunkline.status.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.status.client.BuildState;
import io.trunkline.status.client.CommitStatus;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommitStatusesTest {

    private static final RepositoryRef REPO = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop");

    @ParameterizedTest
    @CsvSource({
        "QUEUED, INPROGRESS",
        "WAITING_APPROVAL, INPROGRESS",
        "IN_PROGRESS, INPROGRESS",
        "SUCCEEDED, SUCCESSFUL",
        "FAILED, FAILED",
        "REJECTED, FAILED",
        "SUPERSEDED, STOPPED",
        "CANCELLED, STOPPED"})
    void everyDeploymentStateHasItsBuildState(DeploymentState state, BuildState expected) {
        assertThat(CommitStatuses.state(state)).isEqualTo(expected);
    }

    @Test
    void keyIsTrunklineDashEnvironment() {
        assertThat(CommitStatuses.key("staging")).isEqualTo("trunkline-staging");
        assertThat(CommitStatuses.key("eu/production")).isEqualTo("trunkline-eu/production");
    }

    @Test
    void previewOfAPullRequestIsKeyedByItsEnvironment() {
        assertThat(CommitStatuses.key("preview/pr-7")).isEqualTo("trunkline-preview");
        assertThat(CommitStatuses.key("preview/pr-12345")).isEqualTo("trunkline-preview");
    }

    @Test
    void keyOfExactlyFortyCharactersIsKept() {
        String environment = "e".repeat(30);
        assertThat(CommitStatuses.key(environment)).isEqualTo("trunkline-" + environment).hasSize(40);
    }

    @Test
    void longKeyIsShortenedToFortyCharactersDeterministically() {
        String environment = "previews/feature-very-long-branch-name-for-checkout";
        String key = CommitStatuses.key(environment);

        assertThat(key).hasSize(CommitStatuses.MAX_KEY_LENGTH)
                .startsWith("trunkline-previews/feature-very")
                .matches("trunkline-.{21}-[0-9a-f]{8}");
        assertThat(CommitStatuses.key(environment)).isEqualTo(key);
    }

    @Test
    void longEnvironmentsWithTheSamePrefixGetDifferentKeys() {
        String common = "previews/feature-very-long-branch-name-";
        assertThat(CommitStatuses.key(common + "one")).isNotEqualTo(CommitStatuses.key(common + "two"));
    }

    @Test
    void shorteningNeverSplitsACharacter() {
        String environment = "e".repeat(20) + "😀" + "x".repeat(20);
        String key = CommitStatuses.key(environment);

        assertThat(key.length()).isLessThanOrEqualTo(CommitStatuses.MAX_KEY_LENGTH);
        assertThat(key.codePoints().noneMatch(c -> c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)).isTrue();
    }

    @Test
    void descriptionIsTheReasonWhenThereIsOne() {
        assertThat(CommitStatuses.description(event(DeploymentState.FAILED, "Target answered 500 Internal Server Error")))
                .isEqualTo("Target answered 500 Internal Server Error");
    }

    @Test
    void descriptionDefaultsToWhatTheStateMeans() {
        assertThat(CommitStatuses.description(event(DeploymentState.QUEUED, null))).isEqualTo("Queued for staging");
        assertThat(CommitStatuses.description(event(DeploymentState.IN_PROGRESS, " "))).isEqualTo("Deploying to staging");
        assertThat(CommitStatuses.description(event(DeploymentState.SUCCEEDED, null))).isEqualTo("Deployed to staging");
        assertThat(CommitStatuses.description(event(DeploymentState.FAILED, null))).isEqualTo("Deployment to staging failed");
        assertThat(CommitStatuses.description(event(DeploymentState.SUPERSEDED, null)))
                .isEqualTo("Superseded by a newer commit for staging");
        for (DeploymentState state : DeploymentState.values()) {
            assertThat(CommitStatuses.description(event(state, null))).contains("staging");
        }
    }

    @Test
    void teardownDescriptionsSayTeardown() {
        DeploymentStateChanged event = new DeploymentStateChanged(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                REPO, "preview/pr-7", DeploymentOperation.TEARDOWN, "abc", 7L, DeploymentState.SUCCEEDED, null);
        assertThat(CommitStatuses.description(event)).isEqualTo("Torn down preview/pr-7");
    }

    @Test
    void longDescriptionIsCutTo255CharactersOnOneLine() {
        String reason = "line one\n\tline two " + "x".repeat(400);
        String description = CommitStatuses.description(event(DeploymentState.FAILED, reason));

        assertThat(description).hasSize(CommitStatuses.MAX_DESCRIPTION_LENGTH)
                .startsWith("line one line two xxx")
                .endsWith("…")
                .doesNotContain("\n");
    }

    @Test
    void statusLinksToTheDeploymentInTheDashboard() {
        DeploymentStateChanged event = event(DeploymentState.IN_PROGRESS, null);
        CommitStatus status = CommitStatuses.of(event, "refs/heads/main", "https://trunkline.example.com/");

        assertThat(status).isEqualTo(new CommitStatus("trunkline-staging", BuildState.INPROGRESS, "Trunkline staging",
                "https://trunkline.example.com/deployments/" + event.deploymentId(), "Deploying to staging",
                "refs/heads/main"));
    }

    @Test
    void cloudIsSentTheShortRefName() {
        CommitStatus status = CommitStatuses.of(event(DeploymentState.SUCCEEDED, null), "refs/tags/release-1", "https://t");

        assertThat(status.forCloud().refname()).isEqualTo("release-1");
        assertThat(status.refname()).isEqualTo("refs/tags/release-1");
    }

    private static DeploymentStateChanged event(DeploymentState state, String reason) {
        return new DeploymentStateChanged(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), REPO, "staging",
                DeploymentOperation.DEPLOY, "0123456789abcdef0123456789abcdef01234567", null, state, reason);
    }
}
