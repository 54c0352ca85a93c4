package io.trunkline.status.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** How status-reporter reaches Bitbucket and what its commit statuses link to. */
@ConfigMapping(prefix = "trunkline.bitbucket")
public interface BitbucketConfig {

    /** Base URL of the Bitbucket Cloud REST API. */
    @WithDefault("https://api.bitbucket.org/2.0")
    String apiUrl();

    /** Base URL of a Bitbucket Data Center server; without it, Data Center deployments get no commit status. */
    Optional<String> serverUrl();

    /** Bearer token for the Bitbucket API (sent as Authorization header, never logged); none sends no header. */
    Optional<String> token();

    /** Base URL of the Trunkline dashboard; a commit status links to {dashboard-url}/deployments/{id}. */
    @WithDefault("http://localhost:8083")
    String dashboardUrl();

    /** How long opening a connection to Bitbucket may take. */
    @WithDefault("2s")
    Duration connectTimeout();

    /** How long Bitbucket may take to answer once connected. */
    @WithDefault("5s")
    Duration readTimeout();
}
