package io.trunkline.deploy.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** How deploy-service calls deployment targets and keeps hold of the runs it works on. */
@ConfigMapping(prefix = "trunkline.deploy")
public interface DeployConfig {

    /** How long one call may take, connecting included, before its outcome counts as unknown. */
    @WithDefault("30s")
    Duration attemptTimeout();

    /** How long transient failures (5xx, 429, connection refused) are retried; no attempt starts after that. */
    @WithDefault("10m")
    Duration retryFor();

    /** The wait before the second attempt; it doubles before each further attempt, with jitter. */
    @WithDefault("500ms")
    Duration initialBackoff();

    /** The longest wait between two attempts, however many came before. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** How long a run's lease lasts without renewal; after that another instance may take the run over. */
    @WithDefault("30s")
    Duration leaseTtl();

    /** How often the worker renews the leases of the runs it is working on; well below {@link #leaseTtl()}. */
    @WithDefault("10s")
    Duration leaseRenewInterval();

    /** How often runs whose lease expired (their worker stopped) are looked for and taken over. */
    @WithDefault("10s")
    Duration recoveryInterval();

    /**
     * How many deployments one instance carries out at once, each of a different repository and
     * environment (the requests of one repository and environment run one at a time, in order).
     */
    @WithDefault("16")
    int maxConcurrent();

    /**
     * How many consumed requests may wait for their turn (behind a deployment of the same repository
     * and environment, or for a free slot) before the instance stops taking more from Kafka.
     */
    @WithDefault("1000")
    int maxPending();

    /**
     * How long before it expires an {@code oidc:} credential's access token is replaced; a token the
     * provider gives for less time than this is replaced at each call.
     */
    @WithDefault("30s")
    Duration oidcRefreshAhead();

    /** When calls to one target host stop for a while because too many of them failed lately. */
    CircuitBreaker circuitBreaker();

    /**
     * A circuit breaker per target host (host and port): failures are 5xx answers, connections that
     * cannot be opened, timeouts and broken connections; 429 and other answers are not.
     */
    interface CircuitBreaker {

        /** How many recent calls to a host are looked at (the rolling window). */
        @WithDefault("20")
        int requestVolumeThreshold();

        /** The share of failures among them that opens the breaker. */
        @WithDefault("0.5")
        double failureRatio();

        /** How long an open breaker makes no call to the host before it lets one through to try. */
        @WithDefault("30s")
        Duration delay();
    }
}
