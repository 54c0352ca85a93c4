package io.trunkline.promotion.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** promotion-service's own settings. */
@ConfigMapping(prefix = "trunkline.promotion")
public interface PromotionConfig {

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
}
