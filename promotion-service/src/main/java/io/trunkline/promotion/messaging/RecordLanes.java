package io.trunkline.promotion.messaging;

import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.trunkline.commons.lanes.KeyedLanes;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * A consumer's records processed side by side across Kafka keys and one at a time, in partition order, within a
 * key ({@link KeyedLanes}). A record is acknowledged once processed (or dead-lettered: the processing step is
 * {@code EventProcessing.process}, which retries a transient failure in place, in the record's lane, so the
 * records of its key wait behind it while other keys go on). The connector's throttled commit strategy commits
 * an offset only once every record before it in the partition is acknowledged: a record waiting in a lane, or
 * retried there through an outage, is delivered again after a crash, and the records of other keys processed
 * meanwhile come again too, as duplicates the consumers recognise by event id. A record whose processing ends
 * because the process is stopping is negatively acknowledged: the channel stops without committing it.
 * <p>
 * Used from an {@code @Incoming} method that takes a {@link Message} and returns the stage of {@link #submit}:
 * the channel hands over its next record as soon as there is room in the lanes.
 */
final class RecordLanes {

    private static final Logger LOG = Logger.getLogger(RecordLanes.class);

    private final String consumer;
    private final KeyedLanes lanes;

    /**
     * @param consumer    names the consumer in logs and its lanes' threads
     * @param parallelism how many records of different keys are processed at once
     * @param capacity    how many records may wait or be processed before the channel is held back
     */
    RecordLanes(String consumer, int parallelism, int capacity) {
        this.consumer = consumer;
        this.lanes = new KeyedLanes(parallelism, Math.max(capacity, parallelism),
                consumer.replaceAll("[^A-Za-z0-9-]+", "-"));
    }

    /**
     * Queues the message's record behind the records of its key; {@code processing} gets the record and returns
     * once it is processed (or dead-lettered), or throws when the process stops in the middle of a retry.
     *
     * @return completes when the channel may hand over its next record: at once, unless the lanes are full
     */
    CompletionStage<Void> submit(Message<?> message, Consumer<ConsumerRecord<String, String>> processing) {
        ConsumerRecord<String, String> record = recordOf(message);
        return lanes.submit(record.key() == null ? "" : record.key(), () -> {
            try {
                processing.accept(record);
            } catch (RuntimeException e) {
                // the process is stopping in the middle of a retry: the record is delivered again after the restart
                message.nack(e);
                return;
            }
            message.ack();
        });
    }

    /** How many records are waiting or being processed. */
    int pending() {
        return lanes.pending();
    }

    /**
     * Starts no other record (those waiting are delivered again after the restart) and gives the ones being
     * processed up to {@code grace} to finish.
     */
    void close(Duration grace) {
        if (!lanes.close(grace)) {
            LOG.warnf("%s: records still being processed after %s were interrupted; they are delivered again after "
                    + "the restart", consumer, grace);
        }
    }

    @SuppressWarnings("unchecked")
    private ConsumerRecord<String, String> recordOf(Message<?> message) {
        return message.getMetadata(IncomingKafkaRecordMetadata.class)
                .map(metadata -> (ConsumerRecord<String, String>) metadata.getRecord())
                .orElseThrow(() -> new IllegalStateException(consumer + " consumes Kafka records only"));
    }
}
