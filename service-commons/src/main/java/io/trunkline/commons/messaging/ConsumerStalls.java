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

    /** {@code consumer} failed on a record and will retry it; the first failure sets the start. */
    public void stalled(String consumer, String reason) {
        stalls.compute(consumer, (name, current) ->
                new Stall(current == null ? Instant.now() : current.since(), reason));
    }

    /** {@code consumer} processed a record: whatever held it up is over. */
    public void cleared(String consumer) {
        stalls.remove(consumer);
    }

    public Map<String, Stall> current() {
        return Map.copyOf(stalls);
    }

    /** A consumer retrying a record since {@code since}; {@code reason} names the last failure, without secrets. */
    public record Stall(Instant since, String reason) {
    }
}
