package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.TargetSpec;
import org.junit.jupiter.api.Test;

class SupersedeRuleTest {

    private static final TargetSpec TARGET = TargetSpec.http("POST", "https://deploy.example.com", null);

    private static EnvironmentConfiguration staging(String concurrency) {
        return new EnvironmentConfiguration("staging", "trunk", TARGET, null, null, null, null, null, null, concurrency,
                null);
    }

    @Test
    void byDefaultAndWithSupersedeTheNewestCommitEndsTheOlderOnesStillWaiting() {
        for (EnvironmentConfiguration environment : new EnvironmentConfiguration[] {staging(null), staging("supersede")}) {
            assertThat(SupersedeRule.supersedes(environment, DeploymentOperation.DEPLOY, false, false)).isTrue();
            assertThat(SupersedeRule.supersedes(environment, DeploymentOperation.DEPLOY, true, false)).isTrue();
            assertThat(SupersedeRule.supersedes(environment, DeploymentOperation.DEPLOY, true, true)).isTrue();
        }
    }

    @Test
    void withQueueEveryCommitRunsInOrder() {
        assertThat(SupersedeRule.supersedes(staging("queue"), DeploymentOperation.DEPLOY, false, false)).isFalse();
        assertThat(SupersedeRule.supersedes(staging("queue"), DeploymentOperation.DEPLOY, true, false)).isFalse();
    }

    @Test
    void theRulesNeverSupersedeAnOperatorsDeployment() {
        assertThat(SupersedeRule.supersedes(staging(null), DeploymentOperation.DEPLOY, false, true)).isFalse();
        assertThat(SupersedeRule.supersedes(staging(null), DeploymentOperation.TEARDOWN, false, true)).isFalse();
    }

    @Test
    void aTeardownSupersedesWhatWaitsEitherWay() {
        assertThat(SupersedeRule.supersedes(staging("queue"), DeploymentOperation.TEARDOWN, false, false)).isTrue();
        assertThat(SupersedeRule.supersedes(staging(null), DeploymentOperation.TEARDOWN, false, false)).isTrue();
    }
}
