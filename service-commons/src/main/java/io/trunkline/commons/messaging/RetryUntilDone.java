package io.trunkline.commons.messaging;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.faulttolerance.api.Guard;
import io.trunkline.commons.config.ConsumerConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs work that must not be given up on: every failure but poison is retried with exponential
 * back-off and jitter ({@code trunkline.consumer.*}) until the work goes through, through SmallRye
 * Fault Tolerance. The first failure of a run is logged (WARN for an outage, ERROR with the stack
 * trace for anything unexpected), every retry is counted ({@code trunkline_consumer_retries_total}),
 * and while it lasts the service is not ready ({@link ConsumerStalls}). Retries end when the
 * service stops.
 */
@ApplicationScoped
public class RetryUntilDone {

    private static final Logger LOG = Logger.getLogger(RetryUntilDone.class);
    private static final int MAX_REASON_LENGTH = 300;

    private final ConsumerConfig config;
    private final ConsumerStalls stalls;
    private final MeterRegistry meters;
    private final Map<String, Guard> guards = new ConcurrentHashMap<>();
    private volatile boolean stopping;

    public RetryUntilDone(ConsumerConfig config, ConsumerStalls stalls, MeterRegistry meters) {
        this.config = config;
        this.stalls = stalls;
        this.meters = meters;
    }

    /**
     * @param task   names the kind of work in logs, metrics and the readiness check (a small, fixed set)
     * @param detail what this run is about (a deployment id, a record's position), or null
     * @throws PoisonRecordException (or another poison failure) at once: retrying cannot help
     */
    @SuppressWarnings("unchecked")
    public <T> T get(String task, String detail, Supplier<T> work) {
        String stall = detail == null ? task : task + " (" + detail + ")";
        boolean[] failed = {false};
        try {
            return (T) guard(task).get(() -> {
                try {
                    return work.get();
                } catch (RuntimeException e) {
                    if (onFailure(task, stall, e, !failed[0])) {
                        failed[0] = true; // counted among the stalls until this run ends
                    }
                    throw e;
                }
            }, Object.class);
        } finally {
            if (failed[0]) {
                stalls.cleared(stall);
            }
        }
    }

    /**
     * Once the service is stopping, a failure is no longer retried: the database and the broker
     * clients are going away, and waiting would hold the shutdown up. What was not done is not
     * lost: a record's offset is not committed, a run's lease expires and is recovered.
     */
    void onStop(@Observes ShutdownEvent event) {
        stopping = true;
    }

    public void run(String task, String detail, Runnable work) {
        get(task, detail, () -> {
            work.run();
            return null;
        });
    }

    private Guard guard(String task) {
        return guards.computeIfAbsent(task, name -> Guard.create()
                .withDescription(name)
                .withRetry()
                .maxRetries(-1)
                .maxDuration(0, ChronoUnit.MILLIS)
                .delay(config.initialBackoff().toMillis(), ChronoUnit.MILLIS)
                .jitter(config.jitter().toMillis(), ChronoUnit.MILLIS)
                .whenException(failure -> !stopping
                        && FailureClassifier.classify(failure) != FailureClassifier.Kind.POISON)
                .withExponentialBackoff()
                .factor(2)
                .maxDelay(config.maxBackoff().toMillis(), ChronoUnit.MILLIS)
                .done()
                .done()
                .build());
    }

    /** @return whether the failure is retried and so counted among the stalls (poison is not) */
    private boolean onFailure(String task, String stall, RuntimeException failure, boolean first) {
        FailureClassifier.Kind kind = FailureClassifier.classify(failure);
        if (kind == FailureClassifier.Kind.POISON) {
            return false;
        }
        String reason = reasonOf(failure);
        stalls.stalled(stall, reason, first);
        meters.counter("trunkline.consumer.retries", "consumer", task, "kind", kind.name().toLowerCase()).increment();
        if (first && kind == FailureClassifier.Kind.UNEXPECTED) {
            LOG.errorf(failure, "%s: unexpected failure, retrying until it goes through", stall);
        } else if (first) {
            LOG.warnf("%s: waiting out an outage, retrying until it goes through: %s", stall, reason);
        } else {
            LOG.debugf("%s: still failing, retrying: %s", stall, reason);
        }
        return true;
    }

    /** The innermost message of the failure, on one line and bounded: enough to act on. */
    public static String reasonOf(Throwable failure) {
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

    static String bounded(String text) {
        return text.length() > MAX_REASON_LENGTH ? text.substring(0, MAX_REASON_LENGTH) + "…" : text;
    }
}
