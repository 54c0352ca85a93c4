package io.trunkline.promotion.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trunkline.events.TargetSpec;
import java.util.List;

/**
 * One environment of a repository: when it deploys ({@code trigger}), where ({@code target}; a preview's
 * {@code teardown}), where it answers ({@code url}), what must have succeeded first and for how long
 * ({@code requires}, {@code soak}), whether an operator approves, when it must not change ({@code freeze}),
 * whether newer commits supersede waiting ones or queue behind them ({@code concurrency}), and how long an
 * idle preview lives ({@code ttl}). Durations are written {@code 30m}, {@code 72h}, {@code 1h30m}, {@code 2d}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentConfiguration(
        String name,
        String trigger,
        TargetSpec target,
        TargetSpec teardown,
        String url,
        String requires,
        Boolean approval,
        String soak,
        List<FreezeWindow> freeze,
        String concurrency,
        String ttl) {

    public static final String TRIGGER_PULL_REQUEST = "pull-request";
    public static final String TRIGGER_TRUNK = "trunk";
    public static final String TRIGGER_RELEASE_TAG = "release-tag";
    public static final String CONCURRENCY_SUPERSEDE = "supersede";
    public static final String CONCURRENCY_QUEUE = "queue";

    EnvironmentConfiguration normalised() {
        return new EnvironmentConfiguration(name, trigger, target, teardown, url, requires, Boolean.TRUE.equals(approval),
                soak, freeze == null || freeze.isEmpty() ? null : List.copyOf(freeze), concurrency, ttl);
    }

    public boolean needsApproval() {
        return Boolean.TRUE.equals(approval);
    }

    /** Whether each pull request gets an environment of its own, {@code <name>/pr-<id>}. */
    public boolean previews() {
        return TRIGGER_PULL_REQUEST.equals(trigger);
    }

    /** Whether deployments run one after another in order, rather than the newest superseding those that wait. */
    public boolean queues() {
        return CONCURRENCY_QUEUE.equals(concurrency);
    }
}
