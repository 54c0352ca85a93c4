package io.trunkline.status.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything status-reporter can be told: where Bitbucket is, how deliveries retry, what the dashboard links to. */
@ConfigMapping(prefix = "trunkline")
public interface StatusReporterConfig {

    /** How Bitbucket is reached. */
    Bitbucket bitbucket();

    /** Public base URL of this dashboard; a commit status links to {dashboard-url}/deployments/{id}. */
    @WithDefault("http://localhost:8083")
    String dashboardUrl();

    /** Base URL of promotion-service's API as the operator's browser reaches it; the dashboard's actions call it. */
    @WithDefault("http://localhost:8081")
    String promotionUrl();

    /** How the dashboard signs people in with the OIDC provider (not in local mode, where a token is pasted). */
    Dashboard dashboard();

    /** How the durable queue of Bitbucket updates is worked off. */
    Delivery delivery();

    /** How the DORA figures are computed. */
    Dora dora();

    interface Bitbucket {

        /** Base URL of the Bitbucket Cloud REST API. */
        @WithDefault("https://api.bitbucket.org/2.0")
        String apiUrl();

        /** Base URL of a Bitbucket Data Center server; without it, Data Center deployments get no status or comment. */
        Optional<String> serverUrl();

        /** Bearer token for the Bitbucket API (sent as Authorization header, never logged); takes precedence over {@link #oauth()}. */
        Optional<String> token();

        /** An OAuth consumer whose client-credentials tokens authenticate the calls where no token is set. */
        OAuth oauth();
    }

    interface OAuth {

        /** The OAuth consumer's key; without it (and a token) requests go unauthenticated. */
        Optional<String> clientId();

        /** The OAuth consumer's secret; never logged. */
        Optional<String> clientSecret();

        /** Where client-credentials tokens are obtained (Bitbucket Cloud's, or a Data Center server's). */
        @WithDefault("https://bitbucket.org/site/oauth2/access_token")
        String tokenUrl();
    }

    interface Dashboard {

        /**
         * The provider's issuer URL as the person's browser reaches it (authorization code + PKCE); unset: the API's own
         * ({@code quarkus.oidc.auth-server-url}). Differs when the service reaches the provider by another name.
         */
        Optional<String> oidcUrl();

        /** The provider's public client the dashboard signs in as (no secret: the code is bound to PKCE). */
        @WithDefault("trunkline-dashboard")
        String clientId();
    }

    interface Delivery {

        /** How often the queue is checked for updates whose wait is over (new updates are posted at once). */
        @WithDefault("1s")
        Duration pollInterval();

        /** The wait before the second attempt of an update Bitbucket could not take (5xx, timeout); it doubles each time. */
        @WithDefault("2s")
        Duration initialBackoff();

        /** The longest wait between two attempts of one update. */
        @WithDefault("5m")
        Duration maxBackoff();

        /** Random spread added to each wait, so that instances do not retry in step. */
        @WithDefault("500ms")
        Duration jitter();

        /** How long every update waits after a 429 that names no Retry-After. */
        @WithDefault("60s")
        Duration rateLimitPause();

        /** Most updates one worker run claims at a time. */
        @WithDefault("20")
        int batchSize();

        /** How many of a claimed batch's updates are posted at once (each to a different commit or pull request). */
        @WithDefault("4")
        int parallelism();

        /** How long a claimed update stays reserved for the instance posting it; after that (a crash) another posts it. */
        @WithDefault("2m")
        Duration claimTimeout();
    }

    interface Dora {

        /** A production deployment counts as a change failure when a failure, rollback or fix follows it within this window. */
        @WithDefault("24h")
        Duration failureWindow();

        /** The period the figures cover when the request names none, in days. */
        @WithDefault("30")
        int defaultDays();
    }
}
