package io.trunkline.ingest.support;

import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.RepositoryWebhookSecretChanged;
import io.trunkline.events.SecretSealing;
import io.trunkline.events.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Records of {@code trunkline.repository-secrets} as promotion-service publishes them (the producer
 * contract in the README), and records it must never publish, for tests of the consuming side.
 */
public final class SecretRecords implements AutoCloseable {

    private final KafkaProducer<String, String> producer;
    private final SecretSealing.Key key;

    public SecretRecords(String bootstrapServers, String base64Key) {
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all",
                "linger.ms", 0), new StringSerializer(), new StringSerializer());
        this.key = SecretSealing.Key.fromBase64(base64Key);
    }

    /** The repository {@code workspace/slug} has the secret {@code secret} (null: none of its own) since {@code at}. */
    public void publish(String repository, String secret, Instant at) {
        String[] name = repository.split("/", 2);
        RepositoryWebhookSecretChanged event = new RepositoryWebhookSecretChanged(UUID.randomUUID(), at, name[0], name[1],
                SecretSealing.seal(key, name[0], name[1], at, secret));
        send(CloudEventHeaders.record(Topics.REPOSITORY_SECRETS, event, "promotion-service"));
    }

    /** Any record under {@code key}: what a broken or hostile producer could write. */
    public void publishRaw(String recordKey, String type, String value) {
        ProducerRecord<String, String> record = new ProducerRecord<>(Topics.REPOSITORY_SECRETS, recordKey, value);
        if (type != null) {
            record.headers().add(CloudEventHeaders.TYPE, type.getBytes(StandardCharsets.UTF_8));
        }
        send(record);
    }

    /** {@code event} as JSON, to be altered before {@link #publishRaw}. */
    public String json(String repository, String secret, Instant at) {
        String[] name = repository.split("/", 2);
        return EventCodec.encode(new RepositoryWebhookSecretChanged(UUID.randomUUID(), at, name[0], name[1],
                SecretSealing.seal(key, name[0], name[1], at, secret)));
    }

    /**
     * A valid record of {@code markerRepository} written to the partition of {@code repository}: once
     * its effect shows, every record of {@code repository} published before it has been applied.
     */
    public void publishBehind(String repository, String markerRepository, String secret, Instant at) {
        int partitions = producer.partitionsFor(Topics.REPOSITORY_SECRETS).size();
        int partition = Utils.toPositive(Utils.murmur2(repository.getBytes(StandardCharsets.UTF_8))) % partitions;
        String[] name = markerRepository.split("/", 2);
        RepositoryWebhookSecretChanged event = new RepositoryWebhookSecretChanged(UUID.randomUUID(), at, name[0], name[1],
                SecretSealing.seal(key, name[0], name[1], at, secret));
        ProducerRecord<String, String> record = CloudEventHeaders.record(Topics.REPOSITORY_SECRETS, event, "promotion-service");
        send(new ProducerRecord<>(record.topic(), partition, record.key(), record.value(), record.headers()));
    }

    private void send(ProducerRecord<String, String> record) {
        try {
            producer.send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to " + record.topic() + " failed", e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
