package io.trunkline.promotion.service;

import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.ShortRunDeadline;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** No environment stays blocked: deployments deploy-service says nothing about end FAILED after the run deadline. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@TestProfile(ShortRunDeadline.class)
@PromotionTestResources
class RunDeadlineFlowTest {

    private static final String REASON = "no news from deploy-service within " + ShortRunDeadline.DEADLINE;
    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static DeploymentStateChanged lastState(UUID deploymentId) {
        var states = topics.states(deploymentId);
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    @Test
    void deploymentsWithoutNewsEndFailedAndTheEnvironmentTakesTheNext() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(1));
        DeploymentRequested running = topics.requests(repository).get(0);
        assertThat(running.notAfter()).as("dispatch time + the run deadline")
                .isEqualTo(running.occurredAt().plus(Duration.ofSeconds(2)));
        Instant reported = Instant.now();
        topics.report(running, DeploymentState.IN_PROGRESS);
        topics.publish(repository, RefType.BRANCH, "main", first, second);

        // IN_PROGRESS, then silence: given up one deadline after that news, not after the dispatch
        DeploymentStateChanged failed = awaitGivenUp(running.deploymentId());
        assertThat(topics.statesOf(running.deploymentId())).contains(DeploymentState.IN_PROGRESS);
        assertThat(failed.occurredAt()).isAfterOrEqualTo(reported.plus(Duration.ofSeconds(2)));
        assertThat(stateOf(running.deploymentId())).isEqualTo(DeploymentState.FAILED);

        // the next one goes; never even started, it is given up one deadline after its dispatch
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository))
                .extracting(DeploymentRequested::commit).containsExactly(first, second));
        DeploymentRequested next = topics.requests(repository).get(1);
        assertThat(awaitGivenUp(next.deploymentId()).occurredAt()).isAfterOrEqualTo(next.notAfter());
        assertThat(topics.statesOf(running.deploymentId())).as("given up once").containsOnlyOnce(DeploymentState.FAILED);
    }

    private static DeploymentStateChanged awaitGivenUp(UUID deploymentId) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(lastState(deploymentId))
                .isNotNull()
                .satisfies(last -> {
                    assertThat(last.state()).isEqualTo(DeploymentState.FAILED);
                    assertThat(last.reason()).isEqualTo(REASON);
                }));
        return lastState(deploymentId);
    }

    @Test
    void aDeploymentWaitingForApprovalIsNotSubjectToTheDeadline() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "production", "trigger": "trunk", "approval": true,
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{commit}" } } ]""");
        topics.publish(repository, RefType.BRANCH, "main", null, commit());
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(repository))
                .extracting(DeploymentStateChanged::state).containsExactly(DeploymentState.WAITING_APPROVAL));
        UUID waiting = topics.states(repository).get(0).deploymentId();

        await().during(Duration.ofSeconds(4)).atMost(WAIT).untilAsserted(() -> {
            assertThat(stateOf(waiting)).isEqualTo(DeploymentState.WAITING_APPROVAL);
            assertThat(topics.states(repository)).hasSize(1);
        });
    }
}
