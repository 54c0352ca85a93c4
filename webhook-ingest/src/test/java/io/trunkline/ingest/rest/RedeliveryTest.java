package io.trunkline.ingest.rest;

import static io.trunkline.ingest.support.Deliveries.branch;
import static io.trunkline.ingest.support.Deliveries.commit;
import static io.trunkline.ingest.support.Deliveries.post;
import static io.trunkline.ingest.support.Deliveries.push;
import static io.trunkline.ingest.support.Deliveries.tag;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.infra.test.KafkaAndPostgresTestResource;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.service.RefChangePurge;
import io.trunkline.ingest.support.Deliveries;
import io.trunkline.ingest.support.ScmEvents;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redelivery semantics, proven on the topic: a delivery id is processed once, the same change
 * through a second webhook once within the window, and a repeated real change every time.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "webhook_ingest"))
class RedeliveryTest {

    @Inject
    RefChangePurge purge;

    private String repository;
    private ScmEvents published;

    @BeforeEach
    void recordTheTopic() {
        repository = Deliveries.newRepository();
        published = new ScmEvents(TestServers.get().bootstrapServers(), repository);
    }

    @AfterEach
    void stopRecording() {
        published.close();
    }

    private static String accepted(byte[] body, String deliveryId) {
        return post(body, deliveryId).statusCode(202).body("duplicate", equalTo(false)).extract().path("eventId");
    }

    private static void duplicateOf(String eventId, byte[] body, String deliveryId) {
        post(body, deliveryId).statusCode(202).body("duplicate", equalTo(true)).body("eventId", equalTo(eventId));
    }

    private static List<String> ids(List<RefsPushed> events) {
        return events.stream().map(event -> event.eventId().toString()).toList();
    }

    @Test
    void aDeliveryRetriedByBitbucketIsPublishedOnce() {
        byte[] body = push(repository, branch("main", commit(), commit()));
        String delivery = UUID.randomUUID().toString();

        String eventId = accepted(body, delivery);
        duplicateOf(eventId, body, delivery);
        duplicateOf(eventId, body, delivery);

        assertThat(ids(published.settled())).containsExactly(eventId);
    }

    @Test
    void theSameChangeThroughASecondWebhookWithinTheWindowIsPublishedOnce() {
        byte[] body = push(repository, tag("release-1", null, commit()));
        String secondHook = UUID.randomUUID().toString();

        String eventId = accepted(body, UUID.randomUUID().toString());
        duplicateOf(eventId, body, secondHook);
        duplicateOf(eventId, body, secondHook);
        duplicateOf(eventId, body, null);

        assertThat(ids(published.settled())).containsExactly(eventId);
    }

    @Test
    void aTagCreatedDeletedAndCreatedAgainOnOneCommitIsPublishedEachTime() {
        String commit = commit();
        byte[] create = push(repository, tag("release-1", null, commit));
        byte[] delete = push(repository, tag("release-1", commit, null));

        List<String> eventIds = List.of(
                accepted(create, UUID.randomUUID().toString()),
                accepted(delete, UUID.randomUUID().toString()),
                accepted(create, UUID.randomUUID().toString()));

        List<RefsPushed> events = published.settled();
        assertThat(ids(events)).containsExactlyElementsOf(eventIds);
        assertThat(events.get(2).changes()).containsExactly(new RefChange(RefType.TAG, "release-1", null, commit, false));
    }

    @Test
    void aBranchMovedBackAndForthIsPublishedEachTime() {
        String x = commit();
        String y = commit();
        byte[] forth = push(repository, branch("main", x, y));
        byte[] back = push(repository, branch("main", y, x));

        List<String> eventIds = List.of(
                accepted(forth, UUID.randomUUID().toString()),
                accepted(back, UUID.randomUUID().toString()),
                accepted(forth, UUID.randomUUID().toString()),
                accepted(back, UUID.randomUUID().toString()));

        assertThat(ids(published.settled())).containsExactlyElementsOf(eventIds);
    }

    @Test
    void aDeliveryRepeatingSomeOfItsChangesPublishesOnlyTheNewOnes() {
        String x = commit();
        String y = commit();
        accepted(push(repository, branch("main", x, y)), UUID.randomUUID().toString());

        String second = accepted(push(repository, branch("main", x, y), tag("v1", null, y)), UUID.randomUUID().toString());

        RefsPushed last = published.settled().get(1);
        assertThat(last.eventId().toString()).isEqualTo(second);
        assertThat(last.changes()).containsExactly(new RefChange(RefType.TAG, "v1", null, y, false));
    }

    @Test
    void twoWebhooksReportingOnePushAtTheSameMomentPublishItOnce() throws Exception {
        byte[] body = push(repository, branch("main", commit(), commit()));
        List<Callable<Boolean>> hooks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String delivery = UUID.randomUUID().toString();
            hooks.add(() -> post(body, delivery).statusCode(202).extract().<Boolean>path("duplicate"));
        }
        ExecutorService executor = Executors.newFixedThreadPool(hooks.size());
        List<Boolean> duplicates = new ArrayList<>();
        try {
            for (Future<Boolean> answer : executor.invokeAll(hooks)) {
                duplicates.add(answer.get());
            }
        } finally {
            executor.shutdownNow();
        }

        assertThat(duplicates).containsOnlyOnce(false);
        assertThat(published.settled()).hasSize(1);
    }

    @Test
    void theSameChangeAfterTheWindowIsPublishedAgain() {
        byte[] body = push(repository, branch("main", commit(), commit()));
        String first = accepted(body, UUID.randomUUID().toString());

        // the purge of a run one window from now forgets the change, as the schedule does once the window passed
        assertThat(purge.purge(Instant.now().plus(Duration.ofMinutes(10)).plusSeconds(1))).isPositive();
        String again = accepted(body, UUID.randomUUID().toString());

        assertThat(ids(published.settled())).containsExactly(first, again);
    }
}
