package io.trunkline.e2e.faults;

import java.time.Duration;

/**
 * How long the fault suite streams and how long its faults last. The short form (default) runs in
 * {@code ./mvnw verify}; {@code -Dfaults.long=true} gives the durations of the issue and longer streams.
 * {@code -Dfaults.rate} (pushes per second) and {@code -Dfaults.streamSeconds} override either form.
 */
record FaultSuiteSettings(
        boolean longForm,
        int ratePerSecond,
        Duration stream,
        Duration brokerOutage,
        Duration targetServerErrors,
        Duration bitbucketThrottle,
        Duration targetHold,
        Duration resendFor,
        Duration settleAtMost,
        Duration quietLimit) {

    static FaultSuiteSettings fromSystemProperties() {
        boolean longForm = Boolean.getBoolean("faults.long");
        int rate = Integer.getInteger("faults.rate", 5);
        FaultSuiteSettings settings = longForm
                ? new FaultSuiteSettings(true, rate, Duration.ofSeconds(60), Duration.ofSeconds(20), Duration.ofSeconds(30),
                        Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(10),
                        Duration.ofSeconds(90))
                : new FaultSuiteSettings(false, rate, Duration.ofSeconds(4), Duration.ofSeconds(6), Duration.ofSeconds(8),
                        Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofMinutes(2), Duration.ofMinutes(3),
                        Duration.ofSeconds(45));
        Integer streamSeconds = Integer.getInteger("faults.streamSeconds");
        return streamSeconds == null ? settings : settings.withStream(Duration.ofSeconds(streamSeconds));
    }

    private FaultSuiteSettings withStream(Duration length) {
        return new FaultSuiteSettings(longForm, ratePerSecond, length, brokerOutage, targetServerErrors, bitbucketThrottle,
                targetHold, resendFor, settleAtMost, quietLimit);
    }

    /** Pushes in one scenario's stream. */
    int pushesPerStream() {
        return Math.max(1, (int) (ratePerSecond * stream.toMillis() / 1000));
    }

    /** How many pushes are sent before the fault is injected: 40 % of the stream. */
    int pushesBeforeFault() {
        return Math.max(1, pushesPerStream() * 2 / 5);
    }

    String describe() {
        return (longForm ? "long form" : "short form") + ": " + pushesPerStream() + " pushes per stream at "
                + ratePerSecond + "/s, broker stopped " + brokerOutage.toSeconds() + " s, target answering 500 for "
                + targetServerErrors.toSeconds() + " s, Bitbucket answering 429 for " + bitbucketThrottle.toSeconds() + " s";
    }
}
