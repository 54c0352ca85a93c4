package io.trunkline.ingest.rest;

import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.post;
import static io.trunkline.ingest.support.Deliveries.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.commons.messaging.EventSender;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.infra.test.DatabaseOutage;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.messaging.ScmEventPublisher;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.ScmEvents;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Inject;
import java.util.List;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A database outage before publishing is answered 503 with Retry-After, never 500, and publishes
 * nothing; one after publishing is answered 202, since the event is in Kafka.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class DatabaseOutageTest {

    @Inject
    EventSender sender;

    @Inject
    WebhookConfig config;

    @Inject
    MeterRegistry meters;

    @Test
    void aDeliveryDuringADatabaseOutageIs503AndItsRetryAfterwardsIsAcceptedOnce() {
        String repository = Deliveries.newRepository();
        byte[] body = push(repository, branch("main", commit(), commit()));
        String delivery = UUID.randomUUID().toString();

        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(), repository)) {
            try (DatabaseOutage outage = DatabaseOutage.begin("webhook_ingest")) {
                post(body, delivery)
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", "10")
                        .body("type", equalTo("urn:trunkline:problem:event-not-stored"))
                        .body("status", equalTo(503))
                        .body("detail", containsString("database"));
            }

            // Bitbucket sends the delivery again; until the pool has fresh connections it may still get a 503
            String eventId = await().atMost(Duration.ofSeconds(30)).until(() -> {
                var response = post(body, delivery).extract();
                assertThat(response.statusCode()).isIn(202, 503);
                return response;
            }, response -> response.statusCode() == 202).path("eventId");

            assertThat(published.settled()).singleElement()
                    .satisfies(event -> assertThat(event.eventId().toString()).isEqualTo(eventId));
        }
    }

    @Test
    void anOutageAfterThePublishIsStill202AndTheRetryRepublishesUnderTheSameEventId() {
        String repository = Deliveries.newRepository();
        byte[] body = push(repository, branch("main", commit(), commit()));
        String delivery = UUID.randomUUID().toString();
        AtomicReference<DatabaseOutage> outage = new AtomicReference<>();
        QuarkusMock.installMockForType(new ScmEventPublisher(sender, config, meters) {
            @Override
            public void publish(List<TrunklineEvent> events) {
                super.publish(events);
                if (outage.get() == null) { // between the first publish and its record
                    outage.set(DatabaseOutage.begin("webhook_ingest"));
                }
            }
        }, ScmEventPublisher.class);

        try (ScmEvents published = new ScmEvents(TestServers.get().bootstrapServers(), repository)) {
            String eventId;
            try {
                eventId = post(body, delivery).statusCode(202).body("duplicate", equalTo(false)).extract().path("eventId");
            } finally {
                assertThat(outage.get()).isNotNull();
                outage.get().close();
            }

            // not recorded, so Bitbucket's retry of the delivery publishes again: under the same event id
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> post(body, delivery).statusCode(202)
                    .body("eventId", equalTo(eventId)));
            assertThat(published.settled()).isNotEmpty()
                    .allSatisfy(event -> assertThat(event.eventId().toString()).isEqualTo(eventId));
        }
    }
}
