package io.trunkline.promotion.messaging;

import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.awaitState;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** From SCM events to deploy requests and states, on the real broker and database. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class PromotionFlowTest {

    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    private static RepositoryRef configuredRepository() {
        return PromotionTopics.configure("""
                [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } },
                  { "name": "production", "trigger": "release-tag", "requires": "staging",
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{tag}" } } ]""");
    }

    @Test
    void trunkPushRequestsOneStagingDeploymentEvenWhenRedelivered() {
        RepositoryRef repository = configuredRepository();
        String commit = commit();
        RefsPushed push = PromotionTopics.push(repository, RefType.BRANCH, "main", null, commit);

        topics.publish(push);
        topics.publish(push);

        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(1));
        DeploymentRequested request = topics.requests(repository).get(0);
        assertThat(request.environment()).isEqualTo("staging");
        assertThat(request.commit()).isEqualTo(commit);
        assertThat(request.branch()).isEqualTo("main");
        assertThat(request.operation()).isEqualTo(DeploymentOperation.DEPLOY);
        assertThat(request.target().url()).isEqualTo("https://deploy.example.com/{commit}");
        assertThat(request.notAfter()).as("dispatch time + the default run deadline")
                .isEqualTo(request.occurredAt().plus(Duration.ofHours(1)));
        await().atMost(WAIT).untilAsserted(() ->
                assertThat(topics.statesOf(request.deploymentId())).containsExactly(DeploymentState.QUEUED));
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(topics.requests(repository)).hasSize(1));
    }

    @Test
    void releaseTagOfUntestedCommitIsRejectedAndOfTestedCommitPromoted() {
        RepositoryRef repository = configuredRepository();
        String untested = commit();
        topics.publish(repository, RefType.TAG, "release-1", null, untested);

        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(repository))
                .filteredOn(s -> s.state() == DeploymentState.REJECTED)
                .singleElement()
                .satisfies(rejected -> {
                    assertThat(rejected.environment()).isEqualTo("production");
                    assertThat(rejected.reason()).contains("no successful deployment in staging");
                }));
        assertThat(topics.requests(repository)).isEmpty();

        String tested = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, tested);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(1));
        topics.report(topics.requests(repository).get(0), DeploymentState.IN_PROGRESS);
        topics.report(topics.requests(repository).get(0), DeploymentState.SUCCEEDED);
        awaitState(topics.requests(repository).get(0).deploymentId(), DeploymentState.SUCCEEDED);
        topics.publish(repository, RefType.TAG, "release-2", null, tested);

        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(2));
        DeploymentRequested production = topics.requests(repository).get(1);
        assertThat(production.environment()).isEqualTo("production");
        assertThat(production.tag()).isEqualTo("release-2");
        assertThat(production.commit()).isEqualTo(tested);
    }

    @Test
    void oneDeploymentRunsPerEnvironmentAndNewerCommitsSupersedeWaitingOnes() {
        RepositoryRef repository = configuredRepository();
        String first = commit();
        String second = commit();
        String third = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(1));
        DeploymentRequested running = topics.requests(repository).get(0);
        topics.report(running, DeploymentState.IN_PROGRESS);

        topics.publish(repository, RefType.BRANCH, "main", first, second);
        topics.publish(repository, RefType.BRANCH, "main", second, third);

        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(repository))
                .filteredOn(s -> s.state() == DeploymentState.SUPERSEDED)
                .singleElement()
                .satisfies(superseded -> assertThat(superseded.commit()).isEqualTo(second)));
        assertThat(topics.requests(repository)).hasSize(1);

        topics.report(running, DeploymentState.FAILED);

        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository))
                .extracting(DeploymentRequested::commit).containsExactly(first, third));
    }

    @Test
    void outcomesArrivingOutOfOrderLeaveTheDeploymentAtItsEnd() {
        RepositoryRef repository = configuredRepository();
        String first = commit();
        String second = commit();
        topics.publish(repository, RefType.BRANCH, "main", null, first);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(1));
        DeploymentRequested request = topics.requests(repository).get(0);

        topics.report(request, DeploymentState.SUCCEEDED);
        topics.report(request, DeploymentState.IN_PROGRESS);
        topics.report(request, DeploymentState.FAILED);
        awaitState(request.deploymentId(), DeploymentState.SUCCEEDED);

        topics.publish(repository, RefType.BRANCH, "main", first, second);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(2));
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(PromotionTopics.stateOf(request.deploymentId())).isEqualTo(DeploymentState.SUCCEEDED));
    }
}
