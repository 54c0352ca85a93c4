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
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.infra.test.DatabaseOutage;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.ScmEvents;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A database outage is answered 503 with Retry-After, never 500, and publishes nothing; the retry is accepted once. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class DatabaseOutageTest {

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
}
