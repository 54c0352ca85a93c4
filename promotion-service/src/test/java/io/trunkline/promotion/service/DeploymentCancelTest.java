package io.trunkline.promotion.service;

import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.awaitState;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.stateOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancelling from every state a deployment can be cancelled in, through the state machine (no endpoint yet). */
@QuarkusTest
@PromotionTestResources
class DeploymentCancelTest {

    private static PromotionTopics topics;

    @Inject
    DeploymentStateMachine stateMachine;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static DeploymentRequested request(RepositoryRef repository, int number) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSizeGreaterThanOrEqualTo(number));
        return topics.requests(repository).get(number - 1);
    }

    /** The deployment of {@code commit} once its first state is published. */
    private static UUID deploymentOf(RepositoryRef repository, String commit, DeploymentState state) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(repository))
                .anyMatch(s -> s.commit().equals(commit) && s.state() == state));
        return topics.states(repository).stream().filter(s -> s.commit().equals(commit)).findFirst().orElseThrow()
                .deploymentId();
    }

    private static void awaitCancelledWith(UUID deploymentId, String reason) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(deploymentId))
                .extracting(DeploymentStateChanged::state, DeploymentStateChanged::reason)
                .last().isEqualTo(tuple(DeploymentState.CANCELLED, reason)));
    }

    @Test
    void cancellingTheRunningDeploymentHandsTheEnvironmentToTheNext() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        DeploymentRequested running = request(repository, 1);
        topics.report(running, DeploymentState.IN_PROGRESS);
        awaitState(running.deploymentId(), DeploymentState.IN_PROGRESS);
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        deploymentOf(repository, second, DeploymentState.QUEUED);

        stateMachine.cancel(running.deploymentId(), "cancelled by jdoe: wrong build");

        awaitCancelledWith(running.deploymentId(), "cancelled by jdoe: wrong build");
        assertThat(request(repository, 2).commit()).isEqualTo(second);

        // deploy-service's late report on the cancelled run changes nothing
        topics.report(running, DeploymentState.SUCCEEDED);
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(stateOf(running.deploymentId())).isEqualTo(DeploymentState.CANCELLED));
    }

    @Test
    void cancellingADispatchedQueuedDeploymentFreesTheEnvironment() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String first = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        DeploymentRequested queued = request(repository, 1);

        stateMachine.cancel(queued.deploymentId(), null);

        awaitCancelledWith(queued.deploymentId(), "cancelled");
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        assertThat(request(repository, 2).commit()).isEqualTo(second);
    }

    @Test
    void cancellingADeploymentWaitingForItsTurnTakesItOutOfTheQueue() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        DeploymentRequested running = request(repository, 1);
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        UUID waiting = deploymentOf(repository, second, DeploymentState.QUEUED);

        stateMachine.cancel(waiting, "not this one");

        awaitCancelledWith(waiting, "not this one");
        topics.report(running, DeploymentState.SUCCEEDED);
        awaitState(running.deploymentId(), DeploymentState.SUCCEEDED);
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(topics.requests(repository)).extracting(DeploymentRequested::commit).containsExactly(first));
    }

    @Test
    void cancellingADeploymentWaitingForApproval() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "production", "trigger": "trunk", "approval": true,
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{commit}" } } ]""");
        String commit = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        UUID waiting = deploymentOf(repository, commit, DeploymentState.WAITING_APPROVAL);

        stateMachine.cancel(waiting, "not today");

        awaitCancelledWith(waiting, "not today");
        assertThat(topics.requests(repository)).isEmpty();
    }

    @Test
    void anEndedDeploymentCannotBeCancelled() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        topics.publish(repository, RefType.BRANCH, "main", null, commit());
        DeploymentRequested request = request(repository, 1);
        topics.report(request, DeploymentState.SUCCEEDED);
        awaitState(request.deploymentId(), DeploymentState.SUCCEEDED);

        assertThatThrownBy(() -> stateMachine.cancel(request.deploymentId(), "too late"))
                .isInstanceOf(DeploymentFinishedException.class)
                .hasMessageContaining("SUCCEEDED");
        assertThat(stateOf(request.deploymentId())).isEqualTo(DeploymentState.SUCCEEDED);
        assertThatThrownBy(() -> stateMachine.cancel(UUID.randomUUID(), "no such"))
                .isInstanceOf(DeploymentNotFoundException.class);
    }
}
