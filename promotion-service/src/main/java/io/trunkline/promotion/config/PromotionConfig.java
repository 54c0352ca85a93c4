package io.trunkline.promotion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything promotion-service can be told: its own timings, how Bitbucket is reached, the secrets key. */
@ConfigMapping(prefix = "trunkline")
public interface PromotionConfig {

    /** promotion-service's own settings. */
    Promotion promotion();

    /** How Bitbucket is reached, to resolve the abbreviated commit hashes of Cloud pull requests. */
    Bitbucket bitbucket();

    /** The keys repositories' webhook secrets are sealed with, in the database and on Kafka. */
    Secrets secrets();

    /** Where credential references of a configuration may point. */
    Credentials credentials();

    interface Credentials {

        /**
         * The only directory {@code file:} references (targets' credentials, verify checks' collections and secret
         * variables) may name files in, symbolic links resolved; relative to the working directory unless absolute.
         * The same as deploy-service's, which checks again when it reads the file.
         */
        @WithDefault(".trunkline/secrets")
        String fileDir();
    }

    interface Promotion {

        /**
         * How long a deployment handed to deploy-service may go without news (a state change) before it
         * ends FAILED and its environment takes the next deployment; also the {@code notAfter} of each
         * deploy request, after which deploy-service does not start it. Must exceed the longest run.
         */
        @WithDefault("1h")
        Duration runDeadline();

        /** How often the deployments past their run deadline are looked for. */
        @WithDefault("30s")
        Duration deadlineCheckInterval();

        /** How long the history of ref changes (applied, stale, duplicate) is kept before it is purged. */
        @WithDefault("30d")
        Duration refHistoryRetention();

        /** How often deployments whose soak has ended or whose freeze window has closed are looked for. */
        @WithDefault("10s")
        Duration gateCheckInterval();

        /**
         * The prefix every {@code env:} credential reference of a configuration must have, so that a
         * configuration cannot name the services' own secrets; deploy-service resolves the references.
         */
        @WithDefault("TRUNKLINE_TARGET_")
        String credentialEnvPrefix();

        /** How often previews idle for longer than their environment's {@code ttl} are looked for. */
        @WithDefault("1m")
        Duration previewCheckInterval();

        /**
         * How often the repositories whose reconciliation is due ({@code "reconcile": {"interval": ...}}) are
         * looked for; also the delay before the first look after start.
         */
        @WithDefault("5s")
        Duration reconcileCheckInterval();

        /** How long one instance's claim of a repository's reconciliation run lasts before another may take it over. */
        @WithDefault("2m")
        Duration reconcileClaim();

        /** How the consumers process their records: side by side across Kafka keys, one at a time within a key. */
        Lanes lanes();
    }

    /**
     * Records of different keys are processed side by side, those of one key one at a time in partition order; an
     * offset is committed only once every record before it is processed, so nothing waiting in a lane is lost.
     */
    interface Lanes {

        /**
         * How many repositories' SCM events ({@code trunkline.scm-events}, keyed by repository) are decided at once;
         * one repository's events are always decided one at a time, in order.
         */
        @WithDefault("8")
        int scmEvents();

        /**
         * How many environments' run states ({@code trunkline.deployment-status}, keyed by repository and
         * environment) are applied at once; one environment's always one at a time, in order.
         */
        @WithDefault("4")
        int deploymentStatus();

        /**
         * How many records each consumer lets wait or be processed in its lanes before it takes no more from the
         * broker; at least the consumer's parallelism.
         */
        @WithDefault("256")
        int capacity();

        /**
         * On shutdown, how long the records being processed get to finish; those still running are then interrupted,
         * and every record not processed is delivered again after the restart.
         */
        @WithDefault("10s")
        Duration shutdownGrace();
    }

    interface Bitbucket {

        /** Base URL of the Bitbucket Cloud REST API. */
        @WithDefault("https://api.bitbucket.org/2.0")
        String apiUrl();

        /** Base URL of a Bitbucket Data Center server; needed only to resolve abbreviated Data Center hashes. */
        Optional<String> serverUrl();

        /** Bearer token for the Bitbucket API (sent as Authorization header, never logged); none sends no header. */
        Optional<String> token();
    }

    interface Secrets {

        /**
         * 32 random bytes, base64 ({@code TRUNKLINE_SECRETS_KEY}), the same as webhook-ingest's: seals the
         * repositories' webhook secrets in {@code repository_config} and on {@code trunkline.repository-secrets}.
         * Without it no webhook secret can be stored, and the service does not start while one is stored.
         */
        Optional<String> key();

        /**
         * Keys being rotated out ({@code TRUNKLINE_SECRETS_PREVIOUS_KEYS}, comma-separated): secrets sealed with
         * one are sealed again with {@link #key()} at start and published again.
         */
        Optional<List<String>> previousKeys();
    }
}
