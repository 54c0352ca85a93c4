package io.trunkline.promotion.service;

import static io.trunkline.events.DeploymentState.CANCELLED;
import static io.trunkline.events.DeploymentState.FAILED;
import static io.trunkline.events.DeploymentState.IN_PROGRESS;
import static io.trunkline.events.DeploymentState.QUEUED;
import static io.trunkline.events.DeploymentState.REJECTED;
import static io.trunkline.events.DeploymentState.SUCCEEDED;
import static io.trunkline.events.DeploymentState.SUPERSEDED;
import static io.trunkline.events.DeploymentState.WAITING_APPROVAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.trunkline.events.DeploymentState;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every pair of states: exactly the transitions of PRODUCT.md §5 and the issue are allowed. */
class DeploymentTransitionsTest {

    private static final Map<DeploymentState, Set<DeploymentState>> EXPECTED = Map.of(
            WAITING_APPROVAL, EnumSet.of(QUEUED, SUPERSEDED, CANCELLED),
            QUEUED, EnumSet.of(IN_PROGRESS, SUCCEEDED, FAILED, SUPERSEDED, CANCELLED, REJECTED),
            IN_PROGRESS, EnumSet.of(SUCCEEDED, FAILED, CANCELLED));

    @Test
    void everyPairOfStates() {
        for (DeploymentState from : DeploymentState.values()) {
            for (DeploymentState to : DeploymentState.values()) {
                boolean expected = EXPECTED.getOrDefault(from, Set.of()).contains(to);
                assertThat(DeploymentTransitions.allowed(from, to)).as(from + " -> " + to).isEqualTo(expected);
            }
        }
    }

    @Test
    void endedDeploymentsNeverChange() {
        for (DeploymentState ended : EnumSet.of(SUCCEEDED, FAILED, REJECTED, SUPERSEDED, CANCELLED)) {
            assertThat(ended.isFinal()).isTrue();
            for (DeploymentState to : DeploymentState.values()) {
                assertThat(DeploymentTransitions.allowed(ended, to)).isFalse();
            }
        }
    }

    @Test
    void aNewDeploymentStartsQueuedWaitingForApprovalOrRejected() {
        assertThat(EnumSet.allOf(DeploymentState.class).stream().filter(DeploymentTransitions::initial))
                .containsExactlyInAnyOrder(QUEUED, WAITING_APPROVAL, REJECTED);
    }

    @Test
    void aForbiddenChangeIsADefect() {
        assertThatThrownBy(() -> DeploymentTransitions.check(SUCCEEDED, QUEUED))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a deployment cannot go from SUCCEEDED to QUEUED");
    }
}
