package io.trunkline.commons.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.trunkline.commons.config.ConsumerConfig;
import io.trunkline.events.EventCodec;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * How every consumer handles a record. The record is decoded; one that is not a valid event of a
 * known type, or that its handler finds invalid by contract ({@link PoisonRecordException}), is
 * poison: it is copied to {@code <topic>.dlq} with the reason and its topic, partition and offset
 * ({@link DeadLetters}), logged and counted, and then acknowledged. Any other failure is retried in
 * place until it goes through ({@link RetryUntilDone}): the offset is not committed and the records
 * behind it wait, so nothing is lost and per-key order is kept, and the service is not ready
 * meanwhile. Only when the process stops in the middle of a retry does a failure leave this
 * method; the channel then stops without committing, and the record is delivered again after the
 * restart.
 */
@ApplicationScoped
public class EventProcessing {

    private static final Logger LOG = Logger.getLogger(EventProcessing.class);

    private final RetryUntilDone retry;
    private final MeterRegistry meters;
    private final DeadLetters deadLetters;
    private final ConsumerConfig config;
    private final List<ConsumerLanes> lanes = new CopyOnWriteArrayList<>();

    public EventProcessing(RetryUntilDone retry, MeterRegistry meters, DeadLetters deadLetters, ConsumerConfig config) {
        this.retry = retry;
        this.meters = meters;
        this.deadLetters = deadLetters;
        this.config = config;
    }

    /**
     * Lanes for {@code consumer}: its records processed side by side across keys, in order within a key, up to
     * {@code trunkline.consumer.parallelism} at once. They are closed when the service stops, before the
     * database and the broker clients go: records not started are delivered again after the restart.
     */
    public ConsumerLanes inLanes(String consumer) {
        ConsumerLanes consumerLanes = new ConsumerLanes(this, consumer, config.parallelism(), config.capacity());
        lanes.add(consumerLanes);
        return consumerLanes;
    }

    void stop(@Observes @Priority(100) ShutdownEvent event) {
        lanes.forEach(consumerLanes -> consumerLanes.close(config.shutdownGrace()));
    }

    /**
     * Decodes {@code record} and hands its event to {@code handler}, retrying transient failures;
     * returns once the record is processed or dead-lettered.
     *
     * @param consumer names the consumer in logs, metrics, dead letters and the readiness check
     */
    public void process(String consumer, ConsumerRecord<String, String> record, Consumer<TrunklineEvent> handler) {
        try {
            retry.run(consumer, null, () -> handler.accept(IncomingEvents.read(record)));
        } catch (RuntimeException e) {
            if (FailureClassifier.classify(e) != FailureClassifier.Kind.POISON) {
                throw e; // only poison ends the retries; anything else here is the process stopping
            }
            String reason = poisonReason(e);
            LOG.warnf("%s: record %s-%d@%d is poison and goes to %s: %s", consumer, record.topic(),
                    record.partition(), record.offset(), Topics.deadLetter(record.topic()), reason);
            retry.run(consumer, "dead-lettering " + record.topic() + "-" + record.partition() + "@" + record.offset(),
                    () -> deadLetters.send(consumer, record, reason).await().indefinitely());
            meters.counter("trunkline.consumer.dead.letters", "consumer", consumer).increment();
        }
    }

    /** Why a poison record can never be processed: the message of the poison failure itself. */
    static String poisonReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException || t instanceof EventCodec.MalformedEventException) {
                return RetryUntilDone.bounded(String.valueOf(t.getMessage()).replaceAll("\\s+", " "));
            }
        }
        return RetryUntilDone.reasonOf(failure);
    }
}
