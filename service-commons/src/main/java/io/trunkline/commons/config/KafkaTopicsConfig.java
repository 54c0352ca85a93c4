package io.trunkline.commons.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How the Trunkline topics are created when a service finds them missing. */
@ConfigMapping(prefix = "trunkline.kafka.topics")
public interface KafkaTopicsConfig {

    /** Partitions of each topic: the most consumer instances of one group that can share the work. */
    @WithDefault("6")
    int partitions();

    /** Replicas of each partition; 1 for a single broker, 3 for a production cluster. */
    @WithDefault("1")
    short replicationFactor();

    /** How long the start-up waits for the broker to create them before it goes on without. */
    @WithDefault("10s")
    Duration createTimeout();
}
