package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.persistence.DeploymentEntity;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What serialises the changes of one environment when they are applied at the same time, as two instances
 * consuming different partitions (or a consumer and an operator) may: the end of a run and a push's decision
 * (the environment's lock: the new deployment is never left waiting behind a run that has ended, nor handed over
 * beside one still running), and IN_PROGRESS beside an operator's cancel (the deployment's row lock: neither
 * change is lost). Each round starts both at once.
 */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class EnvironmentSerialisationTest {

    private static final int ROUNDS = 15;

    @Inject
    Promotions promotions;

    @Inject
    DeploymentStateMachine stateMachine;

    private ExecutorService instances;

    @BeforeEach
    void start() {
        instances = Executors.newFixedThreadPool(2);
    }

    @AfterEach
    void stop() throws InterruptedException {
        instances.shutdownNow();
        instances.awaitTermination(10, TimeUnit.SECONDS);
    }

    @Test
    void theEndOfARunAndAPushAtOnceHandTheEnvironmentOnExactlyOnce() throws Exception {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String previous = PromotionTopics.commit();
        promotions.onPush(PromotionTopics.push(repository, RefType.BRANCH, "main", null, previous));
        for (int round = 0; round < ROUNDS; round++) {
            DeploymentEntity running = deploymentOf(previous);
            assertThat(running.dispatched).isTrue();
            String next = PromotionTopics.commit();
            String old = previous;
            atOnce(() -> promotions.onStateChanged(state(running, DeploymentState.SUCCEEDED)),
                    () -> promotions.onPush(PromotionTopics.push(repository, RefType.BRANCH, "main", old, next)));

            assertThat(deploymentOf(previous).state).isEqualTo(DeploymentState.SUCCEEDED);
            DeploymentEntity queued = deploymentOf(next);
            assertThat(queued.state).isEqualTo(DeploymentState.QUEUED);
            assertThat(queued.dispatched).as("handed over once the run before it ended, round %d", round).isTrue();
            assertThat(dispatchedUnfinished(repository)).hasSize(1);
            previous = next;
        }
    }

    @Test
    void inProgressAndACancelAtOnceBothStay() throws Exception {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String previous = null;
        for (int round = 0; round < ROUNDS; round++) {
            String commit = PromotionTopics.commit();
            promotions.onPush(PromotionTopics.push(repository, RefType.BRANCH, "main", previous, commit));
            DeploymentEntity running = deploymentOf(commit);
            assertThat(running.dispatched).isTrue();

            atOnce(() -> promotions.onStateChanged(state(running, DeploymentState.IN_PROGRESS)),
                    () -> stateMachine.cancel(running.id, "local", "round " + commit));

            DeploymentEntity after = deploymentOf(commit);
            assertThat(after.state).as("round %d", round).isEqualTo(DeploymentState.IN_PROGRESS);
            assertThat(after.cancelReason).as("round %d", round).isEqualTo("cancelled by local: round " + commit);
            assertThat(after.newsDeadline).isNotNull();
            promotions.onStateChanged(state(running, DeploymentState.CANCELLED));
            assertThat(deploymentOf(commit).state).isEqualTo(DeploymentState.CANCELLED);
            previous = commit;
        }
    }

    private void atOnce(Runnable first, Runnable second) throws Exception {
        CyclicBarrier barrier = new CyclicBarrier(2);
        List<CompletableFuture<Void>> both = List.of(first, second).stream()
                .map(change -> CompletableFuture.runAsync(() -> {
                    try {
                        barrier.await(10, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    change.run();
                }, instances))
                .toList();
        CompletableFuture.allOf(both.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }

    private static DeploymentEntity deploymentOf(String commit) {
        return QuarkusTransaction.requiringNew().call(() -> DeploymentEntity
                .<DeploymentEntity>find("commit", commit).singleResult());
    }

    private static List<DeploymentEntity> dispatchedUnfinished(RepositoryRef repository) {
        return QuarkusTransaction.requiringNew().call(() -> DeploymentEntity.unfinished(repository, "staging")
                .stream().filter(deployment -> deployment.dispatched).toList());
    }

    private static DeploymentStateChanged state(DeploymentEntity deployment, DeploymentState state) {
        return new DeploymentStateChanged(UUID.randomUUID(), Instant.now(), deployment.id, deployment.repository(),
                deployment.environment, DeploymentOperation.DEPLOY, deployment.commit, null, state, "run " + state,
                deployment.branch, null, null, "jdoe", null, null);
    }
}
