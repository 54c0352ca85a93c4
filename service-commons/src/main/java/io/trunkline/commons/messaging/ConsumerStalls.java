package io.trunkline.commons.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The consumers that are waiting out a failure, and since when. While one is, the service is not
 * ready ({@link ConsumerReadinessCheck}), so an operator sees an outage that is holding up
 * processing rather than a service that looks fine and does nothing.
 */
@ApplicationScoped
public class ConsumerStalls {

    private final Map<String, Stall> stalls = new ConcurrentHashMap<>();

    /**
     * A run of {@code consumer} failed and will be retried: the first failure of a run counts it in (a consumer
     * processing in lanes may retry several records at once), later ones only update the reason. The first
     * failure of the first run sets the start.
     */
    public void stalled(String consumer, String reason, boolean firstOfItsRun) {
        stalls.compute(consumer, (name, current) -> current == null
                ? new Stall(Instant.now(), reason, 1)
                : new Stall(current.since(), reason, current.runs() + (firstOfItsRun ? 1 : 0)));
    }

    /** A run of {@code consumer} that had failed went through (or gave up): once none is left, the stall is over. */
    public void cleared(String consumer) {
        stalls.computeIfPresent(consumer, (name, current) -> current.runs() <= 1
                ? null
                : new Stall(current.since(), current.reason(), current.runs() - 1));
    }

    public Map<String, Stall> current() {
        return Map.copyOf(stalls);
    }

    /**
     * A consumer retrying since {@code since}; {@code reason} names the last failure, without secrets; {@code runs}
     * is how many of its records (or tasks) are being retried.
     */
    public record Stall(Instant since, String reason, int runs) {
    }
}
