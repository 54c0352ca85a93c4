package io.trunkline.infra.test;

import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.TrunklineEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes events as a Trunkline service would (CloudEvents headers, JSON value, partition key)
 * and records what arrives on topics, for tests against the real broker.
 */
public final class TopicProbe implements AutoCloseable {

    private final String bootstrapServers;
    private final KafkaProducer<String, String> producer;
    private final List<Listener> listeners = new ArrayList<>();

    public TopicProbe(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrapServers, "acks", "all",
                "linger.ms", 0), new StringSerializer(), new StringSerializer());
    }

    /** Sends the event and waits for the broker's acknowledgement. */
    public void publish(String topic, TrunklineEvent event, String source) {
        try {
            producer.send(CloudEventHeaders.record(topic, event, source)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("publishing to " + topic + " failed", e.getCause());
        }
    }

    /** Starts recording every event that arrives on the topic from now on (and what is already there). */
    public Recording record(String topic) {
        Listener listener = new Listener(bootstrapServers, topic);
        listeners.add(listener);
        return listener.recording;
    }

    @Override
    public void close() {
        listeners.forEach(Listener::stop);
        producer.close(Duration.ofSeconds(5));
    }

    /** The events seen on one topic, decoded, in arrival order. */
    public static final class Recording {
        private final List<TrunklineEvent> events = new CopyOnWriteArrayList<>();
        private final List<ConsumerRecord<String, String>> records = new CopyOnWriteArrayList<>();

        public <T extends TrunklineEvent> List<T> events(Class<T> type, Predicate<T> filter) {
            return events.stream().filter(type::isInstance).map(type::cast).filter(filter).toList();
        }

        public List<ConsumerRecord<String, String>> records() {
            return List.copyOf(records);
        }
    }

    private static final class Listener {
        private final Recording recording = new Recording();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Listener(String bootstrapServers, String topic) {
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrapServers,
                    "group.id", "probe-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer());
            consumer.subscribe(List.of(topic));
            thread = new Thread(() -> {
                try (consumer) {
                    while (running.get()) {
                        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                            recording.records.add(record);
                            EventCodec.decode(CloudEventHeaders.read(record.headers()).type(), record.value())
                                    .ifPresent(recording.events::add);
                        }
                    }
                }
            }, "topic-probe-" + topic);
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running.set(false);
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
