package io.trunkline.deploy.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.CredentialRef;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.EventCodec;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.infra.test.TestServers;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The two topics as promotion-service and status-reporter see them: deployment requests
 * produced as CloudEvents, deployment states read back per deployment id.
 */
final class DeployTopics implements AutoCloseable {

    static final String COMMIT = "9c4f1d2b7a6e5f8091a2b3c4d5e6f708192a3b4c";

    private final KafkaCompanion companion = new KafkaCompanion(TestServers.get().bootstrapServers());
    private final ConsumerTask<String, String> statuses = companion.consumeStrings()
            .withGroupId("deploy-service-test-" + UUID.randomUUID())
            .withOffsetReset(OffsetResetStrategy.EARLIEST)
            .fromTopics(Topics.DEPLOYMENT_STATUS);
    private ConsumerTask<String, String> deadLetters;

    /** A repository of its own, so that no other test shares its partition key. */
    static RepositoryRef freshRepository() {
        return new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "app-" + UUID.randomUUID().toString().substring(0, 8));
    }

    static DeploymentRequested request(RepositoryRef repository, String environment, String branch, TargetSpec target) {
        return request(repository, environment, branch, target, null);
    }

    /** @param notAfter when promotion-service gives up on the deployment; null for never */
    static DeploymentRequested request(RepositoryRef repository, String environment, String branch, TargetSpec target,
            Instant notAfter) {
        return new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(), repository, environment,
                DeploymentOperation.DEPLOY, COMMIT, branch, null, null, target, notAfter);
    }

    /** A target that is not idempotent: a call with an unknown outcome is never repeated. */
    static TargetSpec http(String method, String url, Map<String, String> headers, String body) {
        return http(method, url, headers, body, null);
    }

    /** An {@code http} target with the test token; {@code idempotent} as a configuration would set it. */
    static TargetSpec http(String method, String url, Map<String, String> headers, String body, Boolean idempotent) {
        return new TargetSpec(TargetSpec.HTTP, method, url, headers, body,
                new CredentialRef("bearer", "env:DEPLOY_TEST_TOKEN"), null, Map.of(), null, null, null, null, idempotent, null, null);
    }

    /** Produces the request as promotion-service does: keyed by repository and environment. */
    void send(TrunklineEvent request) {
        companion.produceStrings()
                .fromRecords(CloudEventHeaders.record(Topics.DEPLOY_REQUESTS, request, "promotion-service"))
                .awaitCompletion(Duration.ofSeconds(10));
    }

    /** Produces a record of any CloudEvents type and value, as a foreign or broken producer might. */
    void sendRaw(String key, String type, String value) {
        companion.produceStrings()
                .fromRecords(new ProducerRecord<>(Topics.DEPLOY_REQUESTS, null, key, value,
                        CloudEventHeaders.kafkaHeaders(UUID.randomUUID(), type, "somebody-else", key, Instant.now())))
                .awaitCompletion(Duration.ofSeconds(10));
    }

    /** The dead-lettered deployment requests with this key received so far; the first call starts reading. */
    synchronized List<ConsumerRecord<String, String>> deadLetters(String key) {
        if (deadLetters == null) {
            deadLetters = companion.consumeStrings()
                    .withGroupId("deploy-service-test-dlq-" + UUID.randomUUID())
                    .withOffsetReset(OffsetResetStrategy.EARLIEST)
                    .fromTopics(Topics.deadLetter(Topics.DEPLOY_REQUESTS));
        }
        return deadLetters.getRecords().stream().filter(record -> key.equals(record.key())).toList();
    }

    /** The records published so far about one deployment, in topic order. */
    List<ConsumerRecord<String, String>> statusRecords(UUID deploymentId) {
        return statuses.getRecords().stream()
                .filter(record -> deploymentId.toString().equals(CloudEventHeaders.read(record.headers()).subject()))
                .toList();
    }

    /** The states published so far about one deployment, in topic order. */
    List<DeploymentStateChanged> statuses(UUID deploymentId) {
        return statusRecords(deploymentId).stream().map(record -> {
            String type = CloudEventHeaders.read(record.headers()).type();
            DeploymentStateChanged event = (DeploymentStateChanged) EventCodec.decode(type, record.value()).orElseThrow();
            assertThat(event.deploymentId()).isEqualTo(deploymentId);
            return event;
        }).toList();
    }

    @Override
    public synchronized void close() {
        statuses.stop();
        if (deadLetters != null) {
            deadLetters.stop();
        }
        companion.close();
    }
}
