package io.trunkline.commons.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How every Kafka consumer of the service waits out a failure, and how many records it processes at once. */
@ConfigMapping(prefix = "trunkline.consumer")
public interface ConsumerConfig {

    /** The wait before the first retry of a record that failed for a transient reason; it doubles with each retry. */
    @WithDefault("200ms")
    Duration initialBackoff();

    /** The longest wait between two retries of a record, however long the outage lasts. */
    @WithDefault("15s")
    Duration maxBackoff();

    /** Random spread added to or taken from each wait, so that instances do not retry in step. */
    @WithDefault("100ms")
    Duration jitter();

    /** How long the ids of processed events are kept to recognise a redelivery (far beyond Kafka's retention). */
    @WithDefault("30d")
    Duration processedEventRetention();

    /**
     * How many records of different keys a consumer that processes in lanes ({@code ConsumerLanes}) handles at
     * once; the records of one key are always processed one at a time, in order.
     */
    @WithDefault("8")
    int parallelism();

    /** How many records such a consumer lets wait in its lanes before it stops taking more from the broker. */
    @WithDefault("256")
    int capacity();

    /** On shutdown, how long records already being processed get to finish before they are interrupted. */
    @WithDefault("10s")
    Duration shutdownGrace();
}
