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

    /**
     * How long a stopping instance (SIGTERM) lets the deployments under way finish before it interrupts
     * them (their leases then expire and another instance takes them over); it starts no new one meanwhile.
     * Keep it below the orchestrator's stop timeout.
     */
    @WithDefault("20s")
    Duration shutdownGrace();

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

    /** How runs a target starts (a Bitbucket pipeline, a Pulumi deployment) are followed, unless the target says. */
    Follow follow();

    /** {@code bitbucket-pipeline} targets. */
    Bitbucket bitbucket();

    /** {@code pulumi} targets. */
    Pulumi pulumi();

    /** When calls to one target host stop for a while because too many of them failed lately. */
    CircuitBreaker circuitBreaker();

    /** Following a started run. */
    interface Follow {

        /** How often the run is polled. */
        @WithDefault("5s")
        Duration interval();

        /** How long after the deployment started the run may take; past it the deployment ends FAILED. */
        @WithDefault("60m")
        Duration deadline();
    }

    /** How pipelines are run. */
    interface Bitbucket {

        /**
         * The credential reference of pipeline calls whose target names no {@code auth}: a Bitbucket
         * access token (repository, project or workspace) allowed to run pipelines, or {@code oidc:NAME}.
         */
        @WithDefault("env:TRUNKLINE_BITBUCKET_TOKEN")
        String credential();

        /** Where Bitbucket's pages are, for the pipeline links recorded on deployments. */
        @WithDefault("https://bitbucket.org")
        String webUrl();
    }

    /** How Pulumi deployments are run. */
    interface Pulumi {

        /** The credential reference of Pulumi calls whose target names no {@code auth}: a Pulumi access token. */
        @WithDefault("env:TRUNKLINE_PULUMI_ACCESS_TOKEN")
        String credential();
    }

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
