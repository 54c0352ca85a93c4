package io.trunkline.promotion.service;

import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Deadline checks running at the same moment (several instances) give a deployment up once. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class RunDeadlineInstancesTest {

    private static PromotionTopics topics;

    @Inject
    DeploymentStateMachine stateMachine;

    @Inject
    EntityManager entityManager;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void concurrentChecksGiveAnOverdueDeploymentUpOnceAndDispatchTheNextOnce() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(1));
        DeploymentRequested overdue = topics.requests(repository).get(0);
        topics.publish(repository, RefType.BRANCH, "main", first, second);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(repository)).hasSize(2));
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("UPDATE deployment SET news_deadline = ?1 WHERE id = ?2")
                .setParameter(1, Instant.now().minusSeconds(60))
                .setParameter(2, overdue.deploymentId())
                .executeUpdate());

        ExecutorService instances = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Integer>> checks = IntStream.range(0, 4)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return stateMachine.giveUpOverdue(Instant.now(), 100);
                    }, instances))
                    .toList();
            start.countDown();
            checks.forEach(CompletableFuture::join);
        } finally {
            instances.shutdown();
        }

        assertThat(PromotionTopics.stateOf(overdue.deploymentId())).isEqualTo(DeploymentState.FAILED);
        await().during(Duration.ofSeconds(1)).atMost(WAIT).untilAsserted(() -> {
            assertThat(topics.statesOf(overdue.deploymentId()))
                    .containsExactly(DeploymentState.QUEUED, DeploymentState.FAILED);
            assertThat(topics.requests(repository)).extracting(DeploymentRequested::commit)
                    .containsExactly(first, second);
        });
        assertThat(topics.states(overdue.deploymentId()).get(1).reason())
                .isEqualTo("no news from deploy-service within 1h");
    }
}
