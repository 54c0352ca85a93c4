package io.trunkline.commons.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.trunkline.commons.config.ConsumerConfig;
import io.trunkline.events.EventCodec;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * How every consumer handles a record. The record is decoded; one that is not a valid event of a
 * known type, or that its handler finds invalid by contract ({@link PoisonRecordException}), is
 * poison: it is copied to {@code <topic>.dlq} with the reason and its topic, partition and offset
 * ({@link DeadLetters}), logged and counted, and then acknowledged. Any other failure is retried in
 * place with exponential backoff and jitter, for as long as it takes: the offset is not committed
 * and the records behind it wait, so nothing is lost and per-key order is kept. While a consumer
 * retries, {@link ConsumerStalls} makes the service not ready. Only when the process stops in the
 * middle of a retry does a failure leave this method; the channel then stops without committing,
 * and the record is delivered again after the restart.
 */
@ApplicationScoped
public class EventProcessing {

    private static final Logger LOG = Logger.getLogger(EventProcessing.class);
    private static final int MAX_REASON_LENGTH = 300;

    private final ConsumerConfig config;
    private final ConsumerStalls stalls;
    private final MeterRegistry meters;
    private final DeadLetters deadLetters;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();

    public EventProcessing(ConsumerConfig config, ConsumerStalls stalls, MeterRegistry meters, DeadLetters deadLetters) {
        this.config = config;
        this.stalls = stalls;
        this.meters = meters;
        this.deadLetters = deadLetters;
    }

    /**
     * Decodes {@code record} and hands its event to {@code handler}, retrying transient failures;
     * returns once the record is processed or dead-lettered.
     *
     * @param consumer names the consumer in logs, metrics, dead letters and the readiness check
     */
    public void process(String consumer, ConsumerRecord<String, String> record, Consumer<TrunklineEvent> handler) {
        Guard guard = guard(consumer);
        try {
            guard.get(() -> {
                handler.accept(IncomingEvents.read(record));
                return null;
            }, Void.class);
        } catch (RuntimeException e) {
            if (FailureClassifier.classify(e) != FailureClassifier.Kind.POISON) {
                throw e; // the guard only gives up on poison; anything else here is the process stopping
            }
            String reason = poisonReason(e);
            LOG.warnf("%s: record %s-%d@%d is poison and goes to %s: %s", consumer, record.topic(),
                    record.partition(), record.offset(), Topics.deadLetter(record.topic()), reason);
            guard.get(() -> deadLetters.send(consumer, record, reason).await().indefinitely(), Void.class);
            meters.counter("trunkline.consumer.dead.letters", "consumer", consumer).increment();
        }
        stalls.cleared(consumer);
    }

    private Guard guard(String consumer) {
        return guards.computeIfAbsent(consumer, name -> Guard.create()
                .withDescription(name)
                .withRetry()
                .maxRetries(-1)
                .maxDuration(0, ChronoUnit.MILLIS)
                .delay(config.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(config.jitter().toMillis(), ChronoUnit.MILLIS)
                .whenException(failure -> FailureClassifier.classify(failure) != FailureClassifier.Kind.POISON)
                .beforeRetry(failure -> beforeRetry(name, failure))
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS)
                .done()
                .done()
                .build());
    }

    private void beforeRetry(String consumer, Throwable failure) {
        FailureClassifier.Kind kind = FailureClassifier.classify(failure);
        boolean first = !stalls.current().containsKey(consumer);
        String reason = reasonOf(failure);
        stalls.stalled(consumer, reason);
        meters.counter("trunkline.consumer.retries", "consumer", consumer, "kind", kind.name().toLowerCase()).increment();
        if (kind == FailureClassifier.Kind.UNEXPECTED && first) {
            LOG.errorf(failure, "%s: unexpected failure, retrying the record until it goes through", consumer);
        } else if (first) {
            LOG.warnf("%s: waiting out an outage, retrying the record: %s", consumer, reason);
        } else {
            LOG.debugf("%s: still failing, retrying: %s", consumer, reason);
        }
    }

    /** Why a poison record can never be processed: the message of the poison failure itself. */
    static String poisonReason(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof PoisonRecordException || t instanceof EventCodec.MalformedEventException) {
                return bounded(String.valueOf(t.getMessage()).replaceAll("\\s+", " "));
            }
        }
        return reasonOf(failure);
    }

    /** The innermost message of the failure, on one line and bounded: enough to act on. */
    static String reasonOf(Throwable failure) {
        Throwable root = failure;
        String message = failure.getMessage();
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            root = t;
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return bounded(root.getClass().getSimpleName() + (message == null ? "" : ": " + message.replaceAll("\\s+", " ")));
    }

    private static String bounded(String text) {
        return text.length() > MAX_REASON_LENGTH ? text.substring(0, MAX_REASON_LENGTH) + "…" : text;
    }
}
