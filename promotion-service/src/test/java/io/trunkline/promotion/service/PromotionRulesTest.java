package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PromotionRulesTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final TargetSpec TARGET = TargetSpec.http("POST", "https://deploy.example.com", null);
    private static final RepositoryConfiguration CONFIG = new RepositoryConfiguration(null, null, null, null, List.of(
            new EnvironmentConfiguration("preview", "pull-request", TARGET, null, null, null, null, null, null, null, null),
            new EnvironmentConfiguration("staging", "trunk", TARGET, null, null, null, null, null, null, null, null),
            new EnvironmentConfiguration("production", "release-tag", TARGET, null, null, "staging", null, null, null, null, null))).normalised();

    private static RefsPushed push(RefChange... changes) {
        return new RefsPushed(UUID.randomUUID(), Instant.now(),
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "shop"), List.of(changes), "jdoe", "d");
    }

    @Test
    void trunkPushDeploysToTrunkEnvironments() {
        List<PlannedDeployment> planned = PromotionRules.plan(CONFIG, push(new RefChange(RefType.BRANCH, "main", A, B, false)));

        assertThat(planned).extracting(p -> p.environment().name(), PlannedDeployment::commit, PlannedDeployment::branch)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("staging", B, "main"));
    }

    @Test
    void otherBranchesAndDeletionsDeployNothing() {
        assertThat(PromotionRules.plan(CONFIG, push(new RefChange(RefType.BRANCH, "feature/x", A, B, false)))).isEmpty();
        assertThat(PromotionRules.plan(CONFIG, push(new RefChange(RefType.BRANCH, "main", A, null, false)))).isEmpty();
        assertThat(PromotionRules.plan(CONFIG, push(new RefChange(RefType.BRANCH, "release-1", null, B, false)))).isEmpty();
    }

    @Test
    void matchingTagPromotes() {
        List<PlannedDeployment> planned = PromotionRules.plan(CONFIG, push(new RefChange(RefType.TAG, "release-2026.11", null, B, false)));

        assertThat(planned).extracting(p -> p.environment().name(), PlannedDeployment::tag)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("production", "release-2026.11"));
        assertThat(PromotionRules.plan(CONFIG, push(new RefChange(RefType.TAG, "v1.0", null, B, false)))).isEmpty();
    }

    @Test
    void globPatterns() {
        assertThat(GlobPattern.matches("release-*", "release-1.2")).isTrue();
        assertThat(GlobPattern.matches("release-*", "prerelease-1")).isFalse();
        assertThat(GlobPattern.matches("v?.*", "v1.0")).isTrue();
        assertThat(GlobPattern.matches("v1.0", "v1x0")).isFalse();
    }
}
