package io.trunkline.ingest.rest;

import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.post;
import static io.trunkline.ingest.support.Deliveries.push;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.OwnBrokerProfile;
import io.trunkline.ingest.support.RestartableKafka;
import io.trunkline.ingest.support.ScmEvents;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * While the broker is down a delivery is answered 503 with Retry-After, and the record the producer
 * gave up on never lands; once the broker is back, Bitbucket's retry of the delivery is accepted and
 * published once. The application has a broker of its own here, which the test stops.
 */
@QuarkusTest
@TestProfile(OwnBrokerProfile.class)
class BrokerOutageTest {

    RestartableKafka kafka;

    @Test
    void aDeliveryWhileTheBrokerIsDownIs503AndItsRetryAfterItIsBackIsPublishedOnce() {
        String repository = Deliveries.newRepository();
        byte[] body = push(repository, branch("main", commit(), commit()));
        String delivery = UUID.randomUUID().toString();
        try (ScmEvents published = new ScmEvents(kafka.bootstrapServers(), repository)) {
            assertThat(published.settled()).isEmpty(); // the producer knows the topic before the outage

            kafka.stop();
            try {
                post(body, delivery)
                        .statusCode(503)
                        .contentType("application/problem+json")
                        .header("Retry-After", OwnBrokerProfile.RETRY_AFTER_SECONDS)
                        .body("type", equalTo("urn:trunkline:problem:event-not-stored"))
                        .body("detail", containsString("broker"));
            } finally {
                kafka.start();
            }

            String eventId = await().atMost(Duration.ofSeconds(60)).until(() -> {
                var response = post(body, delivery).extract();
                assertThat(response.statusCode()).isIn(202, 503);
                return response;
            }, response -> response.statusCode() == 202).path("eventId");

            // the record of the 503 was given up by the producer before the answer: only the retry's is there
            assertThat(published.settled()).singleElement()
                    .satisfies(event -> assertThat(event.eventId().toString()).isEqualTo(eventId));
        }
    }
}
