package io.trunkline.promotion.messaging;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.infra.test.DatabaseOutage;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.persistence.DeploymentEntity;
import io.trunkline.promotion.persistence.RefChangeEntity;
import io.trunkline.promotion.service.RefChangeRule.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A push that arrives while the database is unavailable waits for it, and is then processed exactly once. */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class DatabaseOutageTest {

    private static final String CONSUMERS_CHECK = "checks.find { it.name == 'Kafka consumers processing' }";
    private static PromotionTopics topics;

    @BeforeAll
    static void listen() {
        topics = new PromotionTopics();
    }

    @AfterAll
    static void stop() {
        topics.close();
    }

    @Test
    void aPushMetDuringADatabaseOutageIsProcessedOnceAfterIt() {
        RepositoryRef repository = PromotionTopics.configureStaging();
        String commit = commit();
        RefsPushed push;

        try (DatabaseOutage outage = DatabaseOutage.begin("promotion_service")) {
            push = topics.publish(repository, RefType.BRANCH, "main", null, commit);

            await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready")
                    .then().statusCode(503)
                    .body(CONSUMERS_CHECK + ".status", equalTo("DOWN"))
                    .body(CONSUMERS_CHECK + ".data", hasKey(ScmEventConsumer.CONSUMER)));
            assertThat(topics.requests(repository)).isEmpty();
        }

        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(topics.requests(repository))
                .extracting(DeploymentRequested::commit).containsExactly(commit));
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        await().during(Duration.ofSeconds(1)).atMost(WAIT).untilAsserted(() ->
                assertThat(topics.requests(repository)).hasSize(1));
        // the test's own pooled connections died with the outage: its first reads afterwards may fail
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> QuarkusTransaction.requiringNew().run(() -> {
            assertThat(DeploymentEntity.count("workspace = ?1 AND slug = ?2", repository.workspace(), repository.slug()))
                    .isEqualTo(1);
            assertThat(RefChangeEntity.history(repository, RefType.BRANCH, "main"))
                    .extracting(change -> change.eventId, change -> change.outcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(push.eventId(), Outcome.APPLIED));
        }));
    }
}
