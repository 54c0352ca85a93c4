package io.trunkline.bench;

import java.time.Instant;

/** Wall-clock time in microseconds since the epoch: comparable between the benchmark's processes on one machine. */
final class Micros {

    private Micros() {
    }

    static long now() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }
}
