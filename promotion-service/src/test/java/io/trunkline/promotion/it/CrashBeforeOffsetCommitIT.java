package io.trunkline.promotion.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TestTokens;
import io.trunkline.infra.test.TopicProbe;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * promotion-service killed (SIGKILL) after it processed a push — the deploy request is in the database and
 * on the topic — but before it committed the push's offset: the push is delivered again to the restarted
 * service, which recognises it, and exactly one deploy request exists.
 */
class CrashBeforeOffsetCommitIT {

    private static final String GROUP = "promotion-crash-it";
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** The same consumer group for both channels, of its own, so that nothing else shares its partitions. */
    private static Map<String, String> configuration(String commitInterval) {
        return Map.of(
                "mp.messaging.incoming.scm-events.group.id", GROUP,
                "mp.messaging.incoming.deployment-status.group.id", GROUP,
                "mp.messaging.incoming.scm-events.auto.commit.interval.ms", commitInterval);
    }

    @Test
    void aPushWhoseOffsetWasNotCommittedWhenTheServiceWasKilledIsDeployedOnce() throws Exception {
        String bootstrap = TestServers.get().bootstrapServers();
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "crash-" + UUID.randomUUID());
        String commit = UUID.randomUUID().toString().replace("-", "") + "00000000";
        try (TopicProbe probe = new TopicProbe(bootstrap);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap,
                        "acks", "all"), new StringSerializer(), new StringSerializer())) {
            TopicProbe.Recording requests = probe.record(Topics.DEPLOY_REQUESTS);

            RecordMetadata push;
            // offsets committed only after ten minutes: the kill certainly comes first
            try (PromotionServiceProcess first = PromotionServiceProcess.start("crash-first", "promotion_crash",
                    configuration("600000"))) {
                given().auth().oauth2(TestTokens.local("admin")).contentType(ContentType.JSON).body("""
                        { "environments": [ { "name": "staging", "trigger": "trunk",
                            "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/{commit}" } } ] }""")
                        .put(first.baseUrl() + "/api/repositories/" + repository.fullName())
                        .then().statusCode(201);
                push = producer.send(CloudEventHeaders.record(Topics.SCM_EVENTS, new RefsPushed(UUID.randomUUID(),
                        Instant.now(), repository, List.of(new RefChange(RefType.BRANCH, "main", null, commit, false)),
                        "jdoe", "crash-delivery"), "webhook-ingest")).get();

                await().atMost(WAIT).until(() -> deployRequests(requests, repository).size() == 1);
                first.kill();
            }
            TopicPartition partition = new TopicPartition(push.topic(), push.partition());
            assertThat(committed(admin, partition)).as("killed before the push's offset was committed")
                    .isLessThanOrEqualTo(push.offset());

            try (PromotionServiceProcess second = PromotionServiceProcess.start("crash-second", "promotion_crash",
                    configuration("1000"))) {
                await().atMost(WAIT).until(() -> committed(admin, partition) > push.offset());
                await().during(Duration.ofSeconds(2)).atMost(WAIT).until(() ->
                        deployRequests(requests, repository).size() == 1);
                assertThat(deployRequests(requests, repository).get(0).commit()).isEqualTo(commit);
            }
        }
    }

    private static List<DeploymentRequested> deployRequests(TopicProbe.Recording requests, RepositoryRef repository) {
        return requests.events(DeploymentRequested.class, request -> request.repository().equals(repository));
    }

    /** The group's committed offset of the partition: the next record it will read; -1 when none is committed. */
    private static long committed(Admin admin, TopicPartition partition) throws Exception {
        OffsetAndMetadata offset = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                .get(partition);
        return offset == null ? -1 : offset.offset();
    }
}
