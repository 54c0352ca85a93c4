package io.trunkline.e2e.faults;

import java.time.Duration;

/**
 * How long the fault suite streams and how long its faults last. The short form (default) runs in
 * {@code ./mvnw verify}; {@code -Dfaults.long=true} gives the durations of the issue and longer streams.
 * {@code -Dfaults.rate} (pushes per second) and {@code -Dfaults.streamSeconds} override either form.
 *
 * @param stream             how long each scenario's stream of pushes lasts
 * @param brokerOutage       how long the Kafka broker stays stopped
 * @param postgresOutage     how long PostgreSQL stays stopped before its restart
 * @param targetServerErrors how long the deploy target answers 500
 * @param bitbucketThrottle  how long Bitbucket answers 429
 * @param targetHold         how long a hanging target holds a call (far beyond deploy-service's attempt timeout)
 * @param resendFor          how long a delivery is resent before the suite gives up on it
 * @param settleAtMost       how long a scenario may take to settle, at most
 * @param quietLimit         a scenario stops waiting when nothing has happened for this long
 */
record FaultSuiteSettings(
        boolean longForm,
        int ratePerSecond,
        Duration stream,
        Duration brokerOutage,
        Duration postgresOutage,
        Duration targetServerErrors,
        Duration bitbucketThrottle,
        Duration targetHold,
        Duration resendFor,
        Duration settleAtMost,
        Duration quietLimit) {

    static FaultSuiteSettings fromSystemProperties() {
        int rate = Integer.getInteger("faults.rate", 5);
        FaultSuiteSettings settings = Boolean.getBoolean("faults.long") ? longForm(rate) : shortForm(rate);
        Integer streamSeconds = Integer.getInteger("faults.streamSeconds");
        return streamSeconds == null ? settings : settings.withStream(Duration.ofSeconds(streamSeconds));
    }

    /** A few seconds of stream per scenario, faults of a few seconds: the whole suite in minutes on 2 cores. */
    static FaultSuiteSettings shortForm(int rate) {
        return new FaultSuiteSettings(false, rate,
                Duration.ofSeconds(4),
                Duration.ofSeconds(6),
                Duration.ofSeconds(3),
                Duration.ofSeconds(8),
                Duration.ofSeconds(10),
                Duration.ofSeconds(20),
                Duration.ofMinutes(2),
                Duration.ofMinutes(3),
                Duration.ofSeconds(45));
    }

    /** The outages of the issue (broker 20 s, target 30 s, Bitbucket 60 s) in a minute of stream per scenario. */
    static FaultSuiteSettings longForm(int rate) {
        return new FaultSuiteSettings(true, rate,
                Duration.ofSeconds(60),
                Duration.ofSeconds(20),
                Duration.ofSeconds(15),
                Duration.ofSeconds(30),
                Duration.ofSeconds(60),
                Duration.ofSeconds(60),
                Duration.ofMinutes(5),
                Duration.ofMinutes(10),
                Duration.ofSeconds(90));
    }

    private FaultSuiteSettings withStream(Duration length) {
        return new FaultSuiteSettings(longForm, ratePerSecond, length, brokerOutage, postgresOutage, targetServerErrors,
                bitbucketThrottle, targetHold, resendFor, settleAtMost, quietLimit);
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
                + ratePerSecond + "/s, broker stopped " + brokerOutage.toSeconds() + " s, PostgreSQL stopped "
                + postgresOutage.toSeconds() + " s, target answering 500 for " + targetServerErrors.toSeconds()
                + " s, Bitbucket answering 429 for " + bitbucketThrottle.toSeconds() + " s";
    }
}
