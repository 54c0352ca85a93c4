package io.trunkline.promotion.messaging;

import static io.restassured.RestAssured.given;
import static io.trunkline.promotion.PromotionTopics.commit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.EventCodec;
import io.trunkline.events.PullRequestAction;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.Topics;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TopicProbe;
import io.trunkline.promotion.PromotionTestResources;
import io.trunkline.promotion.PromotionTopics;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Decision latency: from an SCM event published to {@code trunkline.scm-events} to the deploy request
 * promotion-service publishes for it (both records' producer timestamps), on the real broker and database.
 * Pull requests opened at a steady rate across repositories, each deployed to its own preview environment,
 * so that every event is decided at once. Not part of the test suite (its name ends in Benchmark); run with
 * <pre>
 * ./mvnw -B -o verify -pl promotion-service -Dtest=DecisionLatencyBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dbenchmark.rate=200 -Dbenchmark.seconds=30 -Dbenchmark.repositories=100 \
 *     -Dbenchmark.configured=10000 -Dbenchmark.open-previews=1000
 * </pre>
 * {@code configured}: repositories configured in all (the others idle), {@code open-previews}: previews
 * opened (and deployed) before the measurement, {@code warmup}: seconds at the same rate before the measured
 * ones (10; the JIT compiles the decision path then), not counted.
 */
@QuarkusTest
@TestSecurity(user = "local", roles = {"admin", "operator", "viewer"}) // not about authentication: AuthorizationTest is
@PromotionTestResources
class DecisionLatencyBenchmark {

    private static final Logger LOG = Logger.getLogger(DecisionLatencyBenchmark.class);
    private static final String PREVIEW = """
            [ { "name": "preview", "trigger": "pull-request",
                "target": { "type": "http", "method": "POST", "url": "https://deploy.example.com/previews/{pr}" } } ]""";

    @Inject
    EntityManager entityManager;

    private static int setting(String name, int defaultValue) {
        return Integer.getInteger("benchmark." + name, defaultValue);
    }

    @Test
    void decisionLatencyOfPullRequestsAcrossRepositories() throws Exception {
        int rate = setting("rate", 200);
        int seconds = setting("seconds", 30);
        int active = setting("repositories", 100);
        int configured = Math.max(active, setting("configured", active));
        int openPreviews = setting("open-previews", 0);
        int warmupSeconds = setting("warmup", 10);

        List<RepositoryRef> repositories = new ArrayList<>();
        for (int i = 0; i < active; i++) {
            repositories.add(PromotionTopics.configure(PREVIEW));
        }
        configureIdle(configured - active);

        try (TopicProbe probe = new TopicProbe(TestServers.get().bootstrapServers());
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        TestServers.get().bootstrapServers(), "acks", "all", "linger.ms", 0),
                        new StringSerializer(), new StringSerializer())) {
            TopicProbe.Recording requests = probe.record(Topics.DEPLOY_REQUESTS);
            Map<String, Long> published = new ConcurrentHashMap<>();

            // previews opened before the measurement, each with its deployment
            long pullRequest = 1;
            List<Future<RecordMetadata>> warmUp = new ArrayList<>();
            for (int i = 0; i < openPreviews; i++, pullRequest++) {
                warmUp.add(send(producer, repositories.get(i % active), pullRequest));
            }
            for (Future<RecordMetadata> sent : warmUp) {
                sent.get();
            }
            int opened = openPreviews;
            await().atMost(Duration.ofMinutes(5)).until(() -> requests.records().size() >= opened);

            int warmedUp = opened + pace(producer, repositories, rate, warmupSeconds, pullRequest, null);
            pullRequest += (long) rate * warmupSeconds;
            await().atMost(Duration.ofMinutes(2)).until(() -> requests.records().size() >= warmedUp);

            int total = rate * seconds;
            pace(producer, repositories, rate, seconds, pullRequest, published);
            await().atMost(Duration.ofMinutes(2)).until(() -> requests.records().size() >= warmedUp + total);

            List<Long> latencies = new ArrayList<>();
            List<Long> decided = new ArrayList<>();
            for (ConsumerRecord<String, String> record : requests.records()) {
                DeploymentRequested request = (DeploymentRequested) EventCodec.decode(
                        CloudEventHeaders.read(record.headers()).type(), record.value()).orElseThrow();
                Long sentAt = published.get(request.repository().key() + "#" + request.pullRequestId());
                if (sentAt != null) {
                    latencies.add(record.timestamp() - sentAt);
                    decided.add(request.occurredAt().toEpochMilli() - sentAt);
                }
            }
            assertThat(latencies).hasSize(total);
            Collections.sort(latencies);
            Collections.sort(decided);
            LOG.infof("Decision latency, %d events at %d/s across %d repositories (%d configured, %d open previews "
                            + "before, after %d s of warm-up): p50 %d ms, p95 %d ms, p99 %d ms, max %d ms (of which until the decision "
                            + "committed: p50 %d ms, p99 %d ms)", total, rate, active, configured,
                    openPreviews, warmupSeconds, percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
                    latencies.get(latencies.size() - 1), percentile(decided, 50), percentile(decided, 99));
        }
    }

    /**
     * Opens {@code rate * seconds} pull requests, numbered from {@code firstPullRequest}, each at its intended
     * time, and records each one's publication timestamp in {@code published} (when given).
     */
    private static int pace(KafkaProducer<String, String> producer, List<RepositoryRef> repositories, int rate,
            int seconds, long firstPullRequest, Map<String, Long> published) throws Exception {
        int total = rate * seconds;
        long start = System.nanoTime();
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            long due = start + TimeUnit.SECONDS.toNanos(1) * i / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait); // pacing the load generator, not waiting for a result
            }
            RepositoryRef repository = repositories.get(i % repositories.size());
            sends.add(send(producer, repository, firstPullRequest + i));
            keys.add(repository.key() + "#" + (firstPullRequest + i));
        }
        for (int i = 0; i < total; i++) {
            RecordMetadata sent = sends.get(i).get();
            if (published != null) {
                published.put(keys.get(i), sent.timestamp());
            }
        }
        return total;
    }

    private static Future<RecordMetadata> send(KafkaProducer<String, String> producer, RepositoryRef repository,
            long pullRequest) {
        return producer.send(CloudEventHeaders.record(Topics.SCM_EVENTS, PromotionTopics.pullRequest(repository,
                pullRequest, PullRequestAction.OPENED, commit(), false, null), "webhook-ingest"));
    }

    /** Configures idle repositories straight in the database: the API would take minutes for ten thousand. */
    private void configureIdle(int count) {
        if (count <= 0) {
            return;
        }
        String environments = PREVIEW.replace("\n", " ");
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                        INSERT INTO repository_config (provider, workspace, slug, trunk_branch, release_tag_pattern,
                                                       preview_forks, environments, updated_at)
                        SELECT 'bitbucket-cloud', 'idle', 'repo-' || n || '-' || ?1, 'main', 'release-*', false,
                               CAST(?2 AS jsonb), now()
                          FROM generate_series(1, ?3) AS n""")
                .setParameter(1, UUID.randomUUID().toString())
                .setParameter(2, environments)
                .setParameter(3, count)
                .executeUpdate());
        given().contentType(ContentType.JSON).get("/q/health/ready").then().statusCode(200);
    }

    private static long percentile(List<Long> sorted, int percentile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * percentile / 100.0) - 1));
    }
}
