package io.trunkline.promotion.service;

import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.awaitState;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.persistence.RefChangeEntity;
import io.trunkline.promotion.persistence.RefHeadEntity;
import io.trunkline.promotion.service.RefChangeRule.Outcome;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Repeated real changes deploy; late and repeated deliveries deploy nothing and are recorded as such. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class RefHistoryFlowTest {

    private static PromotionTopics topics;

    @Inject
    RefHistoryPurge purge;

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

    private static List<RefChangeEntity> history(RepositoryRef repository, RefType type, String ref) {
        return QuarkusTransaction.requiringNew().call(() -> RefChangeEntity.history(repository, type, ref));
    }

    /** Deploys the push's commit to completion, so that the next push finds the environment free. */
    private static DeploymentRequested deployed(RepositoryRef repository, int requestNumber) {
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(requestNumber));
        DeploymentRequested request = topics.requests(repository).get(requestNumber - 1);
        topics.report(request, DeploymentState.SUCCEEDED);
        awaitState(request.deploymentId(), DeploymentState.SUCCEEDED);
        return request;
    }

    @Test
    void aTagDeletedAndPushedAgainOnTheSameCommitDeploysAgain() {
        RepositoryRef repository = PromotionTopics.configure("""
                [ { "name": "staging", "trigger": "trunk",
                    "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } },
                  { "name": "production", "trigger": "release-tag", "requires": "staging",
                    "target": { "type": "http", "method": "POST", "url": "https://prod.example.com/{tag}" } } ]""");
        String commit = commit();
        topics.publish(repository, RefType.TAG, "release-1", null, commit);
        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.states(repository))
                .extracting(s -> s.environment(), s -> s.state())
                .containsExactly(tuple("production", DeploymentState.REJECTED)));

        // the user deploys the commit to staging, then deletes the tag and pushes it again
        topics.publish(repository, RefType.BRANCH, "main", null, commit);
        deployed(repository, 1);
        topics.publish(repository, RefType.TAG, "release-1", commit, null);
        topics.publish(repository, RefType.TAG, "release-1", null, commit);

        await().atMost(WAIT).untilAsserted(() -> assertThat(topics.requests(repository)).hasSize(2));
        DeploymentRequested production = topics.requests(repository).get(1);
        assertThat(production.environment()).isEqualTo("production");
        assertThat(production.tag()).isEqualTo("release-1");
        assertThat(production.commit()).isEqualTo(commit);
        assertThat(history(repository, RefType.TAG, "release-1")).extracting(c -> c.outcome)
                .containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.APPLIED);
    }

    @Test
    void aBranchMovedBackAndForthDeploysEachMove() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String x = commit();
        String y = commit();

        topics.publish(repository, RefType.BRANCH, "main", null, x);
        deployed(repository, 1);
        topics.publish(repository, RefType.BRANCH, "main", x, y);
        deployed(repository, 2);
        topics.publish(repository, RefType.BRANCH, "main", y, x);
        deployed(repository, 3);
        topics.publish(repository, RefType.BRANCH, "main", x, y);
        deployed(repository, 4);

        assertThat(topics.requests(repository)).extracting(DeploymentRequested::commit).containsExactly(x, y, x, y);
        assertThat(history(repository, RefType.BRANCH, "main")).extracting(c -> c.outcome).containsOnly(Outcome.APPLIED);
    }

    @Test
    void aPushDeliveredAfterANewerOneDeploysNothingAndIsRecordedStale() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String a = commit();
        String b = commit();
        String c = commit();
        topics.publish(repository, RefType.BRANCH, "main", b, c);
        deployed(repository, 1);

        RefsPushed late = topics.publish(repository, RefType.BRANCH, "main", a, b);

        await().atMost(WAIT).untilAsserted(() -> assertThat(history(repository, RefType.BRANCH, "main"))
                .extracting(change -> change.eventId, change -> change.outcome)
                .contains(tuple(late.eventId(), Outcome.STALE)));
        RefChangeEntity stale = history(repository, RefType.BRANCH, "main").get(1);
        assertThat(stale.oldCommit).isEqualTo(a);
        assertThat(stale.newCommit).isEqualTo(b);
        assertThat(stale.deliveryId).isEqualTo(late.deliveryId());
        assertThat(stale.reason).isEqualTo("late delivery: the ref was at " + b.substring(0, 12)
                + " before and has moved on since; it is at " + c.substring(0, 12) + " now");
        assertThat(QuarkusTransaction.requiringNew().call(() ->
                RefHeadEntity.find(repository, RefType.BRANCH, "main").orElseThrow().headCommit)).isEqualTo(c);
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(topics.requests(repository)).extracting(DeploymentRequested::commit).containsExactly(c));
    }

    @Test
    void theSameChangeFromASecondWebhookDeploysNothingAndIsRecordedDuplicate() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String a = commit();
        String b = commit();
        topics.publish(repository, RefType.BRANCH, "main", a, b);
        deployed(repository, 1);

        RefsPushed again = topics.publish(repository, RefType.BRANCH, "main", a, b);

        await().atMost(WAIT).untilAsserted(() -> assertThat(history(repository, RefType.BRANCH, "main"))
                .extracting(change -> change.eventId, change -> change.outcome, change -> change.reason)
                .contains(tuple(again.eventId(), Outcome.DUPLICATE,
                        "the ref is already at " + b.substring(0, 12) + ": this change was applied before")));
        await().during(Duration.ofMillis(500)).atMost(WAIT).untilAsserted(() ->
                assertThat(topics.requests(repository)).hasSize(1));
    }

    @Test
    void refHistoryIsPurgedAfterItsRetention() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String a = commit();
        topics.publish(repository, RefType.BRANCH, "old-feature", null, a);
        topics.publish(repository, RefType.BRANCH, "old-feature", a, null);
        topics.publish(repository, RefType.BRANCH, "main", null, a);
        await().atMost(WAIT).untilAsserted(() -> assertThat(history(repository, RefType.BRANCH, "main")).hasSize(1));
        await().atMost(WAIT).untilAsserted(() -> assertThat(history(repository, RefType.BRANCH, "old-feature")).hasSize(2));
        Instant longAgo = Instant.now().minus(Duration.ofDays(31));
        QuarkusTransaction.requiringNew().run(() -> {
            entityManager.createNativeQuery("UPDATE ref_change SET recorded_at = ?1 WHERE slug = ?2")
                    .setParameter(1, longAgo).setParameter(2, repository.slug()).executeUpdate();
            entityManager.createNativeQuery("UPDATE ref_head SET updated_at = ?1 WHERE slug = ?2")
                    .setParameter(1, longAgo).setParameter(2, repository.slug()).executeUpdate();
        });
        topics.publish(repository, RefType.BRANCH, "main", a, commit());
        await().atMost(WAIT).untilAsserted(() -> assertThat(history(repository, RefType.BRANCH, "main")).hasSize(2));

        purge.purge();

        assertThat(history(repository, RefType.BRANCH, "main")).extracting(c -> c.oldCommit).containsExactly(a);
        assertThat(history(repository, RefType.BRANCH, "old-feature")).isEmpty();
        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(RefHeadEntity.find(repository, RefType.BRANCH, "old-feature")).as("deleted long ago").isEmpty();
            assertThat(RefHeadEntity.find(repository, RefType.BRANCH, "main")).as("the current head stays").isPresent();
        });
    }
}
