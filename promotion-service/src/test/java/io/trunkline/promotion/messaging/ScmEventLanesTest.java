package io.trunkline.promotion.messaging;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.WAIT;
import static io.trunkline.promotion.PromotionTopics.commit;
import static io.trunkline.promotion.PromotionTopics.pullRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.PullRequestChanged;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TestServers;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import io.trunkline.promotion.client.BitbucketUnavailableException;
import io.trunkline.promotion.client.CommitLookup;
import io.trunkline.promotion.service.PullRequestCommits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code trunkline.scm-events} decided in lanes, on the real broker and database: repositories side by side, one
 * repository's events in order; a repository whose event is retried through an outage holds up its own later
 * events but no other repository's, and no offset is committed past the record being retried. All records go to
 * one partition, so that the records of other repositories behind the one retried are in the same partition.
 * The pull requests' head commits are looked up through a stand-in for {@link PullRequestCommits} that can hold
 * or fail the lookups of one repository.
 */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class ScmEventLanesTest {

    private static final String CONSUMERS_CHECK = "checks.find { it.name == 'Kafka consumers processing' }";
    private static final String GROUP = "promotion-service";
    private static final int PARTITION = 0;
    private static final String PREVIEW = """
            [ { "name": "preview", "trigger": "pull-request",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/previews/{pr}" } } ]""";

    private static PromotionTopics topics;
    private static KafkaProducer<String, String> producer;
    private static Admin admin;

    private final ScriptedCommits commits = new ScriptedCommits();

    @BeforeAll
    static void connect() {
        topics = new PromotionTopics();
        String bootstrap = TestServers.get().bootstrapServers();
        producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "acks", "all"), new StringSerializer(),
                new StringSerializer());
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    @AfterAll
    static void disconnect() {
        topics.close();
        producer.close();
        admin.close();
    }

    @AfterEach
    void letEverythingThrough() {
        commits.release();
    }

    @Test
    void repositoriesAreDecidedSideBySideAndOneRepositorysEventsInOrder() throws Exception {
        QuarkusMock.installMockForType(commits, PullRequestCommits.class);
        RepositoryRef held = PromotionTopics.configure(PREVIEW);
        RepositoryRef other = PromotionTopics.configure(PREVIEW);
        commits.hold(held);

        PullRequestChanged first = send(pullRequest(held, 1, PullRequestAction.OPENED, commit(), false, null));
        await().atMost(WAIT).until(() -> commits.looking(first));
        PullRequestChanged second = send(pullRequest(held, 2, PullRequestAction.OPENED, commit(), false, null));
        PullRequestChanged others = send(pullRequest(other, 1, PullRequestAction.OPENED, commit(), false, null));

        // decided while the held repository's decision is under way: side by side
        assertThat(topics.request(other, 1).commit()).isEqualTo(others.sourceCommit());
        assertThat(topics.requests(held)).as("the held repository's first decision is not done").isEmpty();
        assertThat(commits.seen(held)).as("its second event waits for the first").containsExactly(first.eventId());

        commits.release();
        assertThat(topics.request(held, 1).commit()).isEqualTo(first.sourceCommit());
        assertThat(topics.request(held, 2).commit()).isEqualTo(second.sourceCommit());
        assertThat(commits.seen(held)).containsExactly(first.eventId(), second.eventId());
        assertThat(commits.decided(held)).as("one repository's events are decided in order")
                .containsExactly(first.eventId(), second.eventId());
    }

    @Test
    void aRecordRetriedThroughAnOutageHoldsUpItsRepositoryButNoOtherAndNoOffsetIsCommittedPastIt() throws Exception {
        QuarkusMock.installMockForType(commits, PullRequestCommits.class);
        RepositoryRef failing = PromotionTopics.configure(PREVIEW);
        RepositoryRef other = PromotionTopics.configure(PREVIEW);
        TopicPartition partition = new TopicPartition(Topics.SCM_EVENTS, PARTITION);

        // everything before is processed and committed: the committed offset is where the failing record is
        long before = sendAt(pullRequest(other, 1, PullRequestAction.OPENED, commit(), false, null));
        topics.request(other, 1);
        await().atMost(WAIT).until(() -> committed(partition) > before);

        commits.fail(failing);
        PullRequestChanged first = pullRequest(failing, 1, PullRequestAction.OPENED, commit(), false, null);
        long failingOffset = sendAt(first);
        PullRequestChanged second = send(pullRequest(failing, 2, PullRequestAction.OPENED, commit(), false, null));
        PullRequestChanged others = pullRequest(other, 2, PullRequestAction.OPENED, commit(), false, null);
        long lastOffset = sendAt(others);

        assertThat(topics.request(other, 2).commit()).as("another repository is decided meanwhile")
                .isEqualTo(others.sourceCommit());
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready")
                .then().statusCode(503)
                .body(CONSUMERS_CHECK + ".status", equalTo("DOWN"))
                .body(CONSUMERS_CHECK + ".data", hasKey(ScmEventConsumer.CONSUMER)));
        await().atMost(WAIT).until(() -> commits.failures(failing) >= 2);
        // longer than the connector's commit interval (5 s): records after the failing one are processed, not committed
        await().during(Duration.ofSeconds(6)).atMost(WAIT).untilAsserted(() -> {
            assertThat(committed(partition)).as("committed up to the record being retried, not past it")
                    .isEqualTo(failingOffset);
            assertThat(topics.requests(failing)).as("its repository's later event does not overtake it").isEmpty();
        });
        assertThat(commits.seen(failing)).containsOnly(first.eventId());

        commits.release();
        assertThat(topics.request(failing, 1).commit()).isEqualTo(first.sourceCommit());
        assertThat(topics.request(failing, 2).commit()).isEqualTo(second.sourceCommit());
        assertThat(commits.decided(failing)).containsExactly(first.eventId(), second.eventId());
        await().atMost(WAIT).until(() -> committed(partition) > lastOffset);
        await().atMost(WAIT).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
        await().during(Duration.ofSeconds(1)).atMost(WAIT).untilAsserted(() -> {
            assertThat(topics.requests(failing)).as("each event decided once").hasSize(2);
            assertThat(topics.requests(other)).hasSize(2);
        });
    }

    private static PullRequestChanged send(PullRequestChanged event) throws Exception {
        sendAt(event);
        return event;
    }

    /** Publishes the event to the one partition these tests use, as webhook-ingest would; returns its offset. */
    private static long sendAt(PullRequestChanged event) throws Exception {
        ProducerRecord<String, String> record = CloudEventHeaders.record(Topics.SCM_EVENTS, event, "webhook-ingest");
        return producer.send(new ProducerRecord<>(record.topic(), PARTITION, record.key(), record.value(),
                record.headers())).get(10, TimeUnit.SECONDS).offset();
    }

    /** The group's committed offset of the partition: the next record it will read; -1 when none is committed. */
    private static long committed(TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata()
                .get(10, TimeUnit.SECONDS).get(partition);
        return offset == null ? -1 : offset.offset();
    }

    /**
     * Head commits as the events carry them (full hashes), except for one repository whose lookups are held until
     * released, or fail as if Bitbucket were down until released. Records which events were looked up and which
     * got their commit, per repository, in order.
     */
    static final class ScriptedCommits extends PullRequestCommits {

        private final Map<RepositoryRef, List<UUID>> seen = new ConcurrentHashMap<>();
        private final Map<RepositoryRef, List<UUID>> decided = new ConcurrentHashMap<>();
        private final Map<RepositoryRef, Integer> failures = new ConcurrentHashMap<>();
        private final Set<UUID> looking = ConcurrentHashMap.newKeySet();
        private volatile RepositoryRef held;
        private volatile RepositoryRef failing;
        private final CountDownLatch released = new CountDownLatch(1);

        ScriptedCommits() {
            super(null, null);
        }

        void hold(RepositoryRef repository) {
            held = repository;
        }

        void fail(RepositoryRef repository) {
            failing = repository;
        }

        void release() {
            failing = null;
            released.countDown();
        }

        boolean looking(PullRequestChanged event) {
            return looking.contains(event.eventId());
        }

        List<UUID> seen(RepositoryRef repository) {
            return List.copyOf(seen.getOrDefault(repository, List.of()));
        }

        List<UUID> decided(RepositoryRef repository) {
            return List.copyOf(decided.getOrDefault(repository, List.of()));
        }

        int failures(RepositoryRef repository) {
            return failures.getOrDefault(repository, 0);
        }

        @Override
        public CommitLookup headOf(PullRequestChanged event) {
            RepositoryRef repository = event.repository();
            List<UUID> events = seen.computeIfAbsent(repository, key -> new CopyOnWriteArrayList<>());
            if (!events.contains(event.eventId())) {
                events.add(event.eventId());
            }
            looking.add(event.eventId());
            if (repository.equals(failing)) {
                failures.merge(repository, 1, Integer::sum);
                throw new BitbucketUnavailableException("Bitbucket did not answer (test)", null);
            }
            if (repository.equals(held)) {
                try {
                    if (!released.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            decided.computeIfAbsent(repository, key -> new CopyOnWriteArrayList<>()).add(event.eventId());
            return CommitLookup.found(event.sourceCommit());
        }
    }
}
