package io.trunkline.promotion.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.commons.outbox.OutboxEvent;
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
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rows a crash left in the outbox (no commit signal reached the relay) are still published, then removed. */
@QuarkusTest
@PromotionTestResources
class OutboxRelayTest {

    @Test
    void leftBehindRowIsPublishedByThePollAndDeleted() {
        DeploymentStateChanged event = new DeploymentStateChanged(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "left-behind"), "staging",
                DeploymentOperation.DEPLOY, "e".repeat(40), null, DeploymentState.QUEUED, "queued for staging");
        try (TopicProbe probe = new TopicProbe(TestServers.get().bootstrapServers())) {
            TopicProbe.Recording states = probe.record(Topics.DEPLOYMENT_STATUS);

            QuarkusTransaction.requiringNew().run(() -> {
                OutboxEvent row = new OutboxEvent();
                row.eventId = event.eventId();
                row.topic = Topics.DEPLOYMENT_STATUS;
                row.partitionKey = event.partitionKey();
                row.eventType = event.eventType();
                row.subject = event.subject();
                row.occurredAt = event.occurredAt();
                row.payload = EventCodec.encode(event);
                row.persist();
            });

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() ->
                    assertThat(states.events(DeploymentStateChanged.class, e -> e.eventId().equals(event.eventId())))
                            .containsExactly(event));
            assertThat(states.records()).filteredOn(r -> event.partitionKey().equals(r.key()))
                    .singleElement()
                    .satisfies(r -> assertThat(CloudEventHeaders.read(r.headers()).source())
                            .isEqualTo("/trunkline/promotion-service"));
            await().atMost(Duration.ofSeconds(5)).until(() -> QuarkusTransaction.requiringNew()
                    .call(() -> OutboxEvent.count("eventId", event.eventId()) == 0));
        }
    }
}
