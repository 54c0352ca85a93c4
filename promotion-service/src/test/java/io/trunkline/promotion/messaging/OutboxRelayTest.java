package io.trunkline.promotion.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.EventCodec;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TopicProbe;
import io.trunkline.promotion.PromotionTestResources;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rows a crash left in the outbox (no commit signal reached the relay) are still published, then removed. */
@QuarkusTest
@PromotionTestResources
class OutboxRelayTest {

    @Inject
    EntityManager entityManager;

    @Test
    void leftBehindRowIsPublishedByThePollAndDeleted() {
        DeploymentStateChanged event = new DeploymentStateChanged(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "left-behind"), "staging",
                DeploymentOperation.DEPLOY, "e".repeat(40), null, DeploymentState.QUEUED, "queued for staging");
        try (TopicProbe probe = new TopicProbe(TestServers.get().bootstrapServers())) {
            TopicProbe.Recording states = probe.record(Topics.DEPLOYMENT_STATUS);

            // the row as Outbox writes it, without the after-commit request for a relay run
            QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                            INSERT INTO outbox_event (event_id, topic, partition_key, event_type, subject, occurred_at,
                                                      payload)
                            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)""")
                    .setParameter(1, event.eventId())
                    .setParameter(2, Topics.DEPLOYMENT_STATUS)
                    .setParameter(3, event.partitionKey())
                    .setParameter(4, event.eventType())
                    .setParameter(5, event.subject())
                    .setParameter(6, event.occurredAt().atOffset(ZoneOffset.UTC))
                    .setParameter(7, EventCodec.encode(event))
                    .executeUpdate());

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(states.events(DeploymentStateChanged.class, e -> e.eventId().equals(event.eventId())))
                            .containsExactly(event));
            assertThat(states.records()).filteredOn(r -> event.partitionKey().equals(r.key()))
                    .singleElement()
                    .satisfies(r -> assertThat(CloudEventHeaders.read(r.headers()).source())
                            .isEqualTo("/trunkline/promotion-service"));
            await().atMost(Duration.ofSeconds(5)).until(() -> QuarkusTransaction.requiringNew()
                    .call(() -> entityManager.createNativeQuery("SELECT count(*) FROM outbox_event WHERE event_id = ?1",
                                    Long.class)
                            .setParameter(1, event.eventId())
                            .getSingleResult().equals(0L)));
        }
    }
}
