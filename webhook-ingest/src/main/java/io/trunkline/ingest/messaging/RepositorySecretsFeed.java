package io.trunkline.ingest.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trunkline.commons.messaging.RetryUntilDone;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.Topics;
import io.trunkline.ingest.service.RepositorySecretUpdates;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Keeps {@code repository_secret} current from the compacted {@code trunkline.repository-secrets}.
 * Unlike the other consumers this is not a SmallRye channel with a consumer group: every instance
 * reads every partition from the beginning at each start, like a table replicated from a changelog,
 * and knows when it has read up to where the topic ended at its start. Until then a delivery that
 * names a repository waits (at most {@code publish-timeout}) and is then answered 503, and the service
 * is not ready: a table that is empty or behind (a new database) must not let a delivery of a
 * repository with its own secret be checked against the global one. Applying a record again is
 * harmless (an older record never replaces a newer one), so instances need not share progress. A
 * database outage is waited out in place ({@link RetryUntilDone}: the service is not ready meanwhile);
 * a lost broker is reconnected to.
 */
@ApplicationScoped
public class RepositorySecretsFeed {

    static final String TASK = "webhook-ingest/repository-secrets";
    private static final Logger LOG = Logger.getLogger(RepositorySecretsFeed.class);
    private static final Duration RECONNECT_DELAY = Duration.ofSeconds(2);

    private final String bootstrapServers;
    private final RepositorySecretsTopic topic;
    private final RepositorySecretUpdates updates;
    private final RetryUntilDone retry;
    private final CountDownLatch loaded = new CountDownLatch(1);
    private volatile boolean running;
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    public RepositorySecretsFeed(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            RepositorySecretsTopic topic, RepositorySecretUpdates updates, RetryUntilDone retry) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.updates = updates;
        this.retry = retry;
    }

    void onStart(@Observes StartupEvent event) {
        running = true;
        thread = new Thread(this::run, "repository-secrets-feed");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            thread.join(5_000);
        }
    }

    /** Whether every record that was on the topic when the service started has been applied. */
    public boolean loaded() {
        return loaded.getCount() == 0;
    }

    /** Waits at most {@code timeout} for {@link #loaded()}; true once it is. */
    public boolean awaitLoaded(Duration timeout) {
        try {
            return loaded.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return loaded();
        }
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> current = newConsumer()) {
                consumer = current;
                topic.ensureCompacted();
                List<TopicPartition> partitions = current.partitionsFor(Topics.REPOSITORY_SECRETS).stream()
                        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
                if (partitions.isEmpty()) {
                    throw new IllegalStateException(Topics.REPOSITORY_SECRETS + " does not exist yet");
                }
                current.assign(partitions);
                current.seekToBeginning(partitions);
                Map<TopicPartition, Long> endAtStart = current.endOffsets(partitions);
                while (running) {
                    markLoadedWhenPast(current, endAtStart);
                    for (ConsumerRecord<String, String> record : current.poll(Duration.ofMillis(500))) {
                        apply(record);
                    }
                }
            } catch (WakeupException e) {
                return; // stopping
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warnf("Reading %s failed (%s); reconnecting in %d s", Topics.REPOSITORY_SECRETS, e.getMessage(),
                        RECONNECT_DELAY.toSeconds());
                pause();
            }
        }
    }

    private void apply(ConsumerRecord<String, String> record) {
        String position = record.topic() + "-" + record.partition() + "@" + record.offset();
        String type = CloudEventHeaders.read(record.headers()).type();
        retry.run(TASK, position, () -> updates.apply(record.key(), type, record.value()));
    }

    private void markLoadedWhenPast(KafkaConsumer<String, String> current, Map<TopicPartition, Long> endAtStart) {
        if (loaded()) {
            return;
        }
        boolean past = endAtStart.entrySet().stream()
                .allMatch(end -> current.position(end.getKey()) >= end.getValue());
        if (past) {
            loaded.countDown();
            LOG.infof("Repository webhook secrets loaded from %s", Topics.REPOSITORY_SECRETS);
        }
    }

    private KafkaConsumer<String, String> newConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "webhook-ingest-repository-secrets",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000),
                new StringDeserializer(), new StringDeserializer());
    }

    // between two connection attempts of a background thread; no request waits on it
    private void pause() {
        try {
            Thread.sleep(RECONNECT_DELAY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
