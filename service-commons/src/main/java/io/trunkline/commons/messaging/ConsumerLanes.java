package io.trunkline.commons.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.trunkline.commons.lanes.KeyedLanes;
import io.trunkline.events.TrunklineEvent;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Processes a channel's records side by side across Kafka keys and one at a time, in partition order,
 * within a key ({@link KeyedLanes}), each through {@link EventProcessing}. A record is acknowledged once
 * processed (or dead-lettered); the connector commits an offset only when every record before it is
 * acknowledged, so a record still waiting in a lane, or retried there through an outage, is delivered
 * again after a crash, and the records of other keys processed meanwhile come again as duplicates, which
 * consumers drop by event id. A record whose retry ends because the process stops is not acknowledged.
 * <p>
 * Use from an {@code @Incoming} method that takes a {@code Message} and returns the stage of
 * {@link #process}: the channel takes the next record as soon as there is room in the lanes.
 */
public final class ConsumerLanes {

    private static final Logger LOG = Logger.getLogger(ConsumerLanes.class);

    private final EventProcessing processing;
    private final String consumer;
    private final KeyedLanes lanes;

    /**
     * @param consumer    names the consumer in logs, metrics, dead letters, the readiness check and thread names
     * @param parallelism how many records of different keys are processed at once
     * @param capacity    how many records may wait or be processed before the channel is held back
     */
    public ConsumerLanes(EventProcessing processing, String consumer, int parallelism, int capacity) {
        this.processing = processing;
        this.consumer = consumer;
        this.lanes = new KeyedLanes(parallelism, Math.max(capacity, parallelism),
                consumer.replaceAll("[^A-Za-z0-9-]+", "-"));
    }

    /**
     * Queues {@code message}'s record behind the records of its key; {@code handler} gets its event.
     *
     * @return completes when the channel may hand over its next record: at once, unless the lanes are full
     */
    @SuppressWarnings("unchecked")
    public CompletionStage<Void> process(Message<?> message, Consumer<TrunklineEvent> handler) {
        ConsumerRecord<String, String> record = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (ConsumerRecord<String, String>) metadata.getRecord())
                .orElseThrow(() -> new IllegalStateException(consumer + " consumes Kafka records only"));
        return lanes.submit(record.key() == null ? "" : record.key(), () -> {
            try {
                processing.process(consumer, record, handler);
            } catch (RuntimeException e) {
                // the process is stopping in the middle of a retry: the record is delivered again after the restart
                message.nack(e);
                return;
            }
            message.ack();
        });
    }

    /**
     * Starts no other record (those waiting are delivered again after the restart) and gives the ones being
     * processed up to {@code grace} to finish.
     */
    public void close(Duration grace) {
        if (!lanes.close(grace)) {
            LOG.warnf("%s: records still being processed after %s were interrupted; they are delivered again",
                    consumer, grace);
        }
    }
}
