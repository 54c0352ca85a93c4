package io.trunkline.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** A set of latencies in microseconds and their percentiles (nearest rank). */
record Latencies(long[] sortedMicros) {

    static Latencies of(List<Long> micros) {
        long[] sorted = micros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(sorted);
        return new Latencies(sorted);
    }

    int count() {
        return sortedMicros.length;
    }

    /** The latency at {@code quantile} (0.5, 0.99), in milliseconds; NaN when there is none. */
    double millis(double quantile) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(quantile * sortedMicros.length);
        return sortedMicros[Math.max(0, Math.min(sortedMicros.length - 1, rank - 1))] / 1000.0;
    }

    double p50() {
        return millis(0.50);
    }

    double p95() {
        return millis(0.95);
    }

    double p99() {
        return millis(0.99);
    }

    double max() {
        return millis(1.0);
    }

    /** "p50 1.9 ms, p95 ..., max ...". */
    String summary() {
        return String.format(Locale.ROOT, "p50 %s, p95 %s, p99 %s, max %s (n=%d)",
                format(p50()), format(p95()), format(p99()), format(max()), count());
    }

    static String format(double millis) {
        if (Double.isNaN(millis)) {
            return "n/a";
        }
        if (millis >= 1000) {
            return String.format(Locale.ROOT, "%.2f s", millis / 1000);
        }
        return String.format(Locale.ROOT, millis < 10 ? "%.2f ms" : "%.1f ms", millis);
    }
}
