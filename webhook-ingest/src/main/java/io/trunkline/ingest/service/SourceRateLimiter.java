package io.trunkline.ingest.service;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * A token bucket per source address: {@code burst} deliveries at once, refilled at {@code rate} per second.
 * Memory is bounded: beyond {@code maxSources} addresses the least recently seen one is forgotten (it starts
 * again with a full bucket, which errs on the side of letting Bitbucket through).
 */
public final class SourceRateLimiter {

    private final double ratePerNano;
    private final double burst;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets;

    /**
     * @param rate       deliveries per second a source may keep up
     * @param burst      deliveries a source may send at once
     * @param maxSources how many sources are remembered
     * @param nanoClock  {@link System#nanoTime()}, or a test's clock
     */
    public SourceRateLimiter(double rate, int burst, int maxSources, LongSupplier nanoClock) {
        if (rate <= 0 || burst < 1 || maxSources < 1) {
            throw new IllegalArgumentException("the rate must be positive, the burst and the number of sources at least 1");
        }
        this.ratePerNano = rate / 1e9;
        this.burst = burst;
        this.nanoClock = nanoClock;
        this.buckets = new LinkedHashMap<>(1024, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxSources;
            }
        };
    }

    /**
     * Takes a token of the source's bucket.
     *
     * @return 0 when the delivery may go on, else how many whole seconds until the source has a token again (at least 1)
     */
    public synchronized long acquire(String source) {
        long now = nanoClock.getAsLong();
        Bucket bucket = buckets.computeIfAbsent(source, s -> new Bucket(burst, now));
        bucket.tokens = Math.min(burst, bucket.tokens + (now - bucket.updated) * ratePerNano);
        bucket.updated = now;
        if (bucket.tokens >= 1) {
            bucket.tokens -= 1;
            return 0;
        }
        double waitNanos = (1 - bucket.tokens) / ratePerNano;
        return Math.max(1, (long) Math.ceil(waitNanos / 1e9));
    }

    /** How many sources are remembered now. */
    public synchronized int sources() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long updated;

        Bucket(double tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
