package io.trunkline.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What one benchmark run does, from system properties ({@code -Dbench.rate=100} and so on).
 *
 * @param rate            webhooks (and floor requests) per second, sent open-loop
 * @param seconds         the measured part of each phase
 * @param warmupSeconds   sent at the same rate before the measured part, not counted
 * @param repositories    repositories the pushes are spread over, round robin
 * @param javaOptions     the services' (and the floor's) JVM options
 * @param durablePostgres PostgreSQL with fsync and synchronous commit on, rather than the local stack's settings
 * @param knee            after the run at {@code rate}, step the rate up until p99 exceeds 1 s
 * @param root            the project's root directory
 */
record BenchSettings(int rate, int seconds, int warmupSeconds, int repositories, List<String> javaOptions,
        boolean durablePostgres, boolean knee, Path root) {

    static final String LOCAL_STACK_JAVA_OPTIONS = "-Xmx256m -Xms32m -XX:+UseSerialGC -XX:TieredStopAtLevel=1";

    BenchSettings {
        if (rate <= 0 || seconds <= 0 || warmupSeconds < 0 || repositories <= 0) {
            throw new IllegalArgumentException("rate, seconds and repositories must be positive, warm-up not negative");
        }
        javaOptions = List.copyOf(javaOptions);
    }

    static BenchSettings fromSystemProperties() {
        String javaOptions = System.getProperty("bench.javaOpts", "");
        return new BenchSettings(
                Integer.getInteger("bench.rate", 50),
                Integer.getInteger("bench.seconds", 10),
                Integer.getInteger("bench.warmup", 2),
                Integer.getInteger("bench.repositories", 50),
                split(javaOptions.isBlank() ? LOCAL_STACK_JAVA_OPTIONS : javaOptions),
                Boolean.parseBoolean(System.getProperty("bench.durable", "false")),
                Boolean.parseBoolean(System.getProperty("bench.knee", "false")),
                Path.of(System.getProperty("trunkline.root", ".")).toAbsolutePath().normalize());
    }

    private static List<String> split(String options) {
        return Arrays.stream(options.trim().split("\\s+")).filter(option -> !option.isEmpty()).toList();
    }

    /** The same settings at another rate (the knee's steps). */
    BenchSettings atRate(int otherRate) {
        return new BenchSettings(otherRate, seconds, warmupSeconds, repositories, javaOptions, durablePostgres, knee, root);
    }

    Path outputDirectory() {
        return root.resolve("bench/target");
    }
}
