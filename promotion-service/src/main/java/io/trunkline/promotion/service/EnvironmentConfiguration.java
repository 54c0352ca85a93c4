package io.trunkline.promotion.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trunkline.events.TargetSpec;
import io.trunkline.events.VerifyCheck;
import java.util.Collection;
import java.util.List;

/**
 * One environment of a repository: when it deploys ({@code trigger}), where ({@code target}; a preview's
 * {@code teardown}), where it answers ({@code url}), what must have succeeded first and for how long
 * ({@code requires}, {@code soak}), whether an operator approves, when it must not change ({@code freeze}),
 * whether newer commits supersede waiting ones or queue behind them ({@code concurrency}), and how long an
 * idle preview lives ({@code ttl}), which checks must pass after each deployment before it counts as
 * succeeded ({@code verify}), and whether a deployment whose checks failed is rolled back to the previous
 * successful commit ({@code onFailure}: {@code rollback}; {@code fail}, the default, only fails it), and
 * who may approve ({@code approvers}: roles or groups of the caller's token; any operator when absent).
 * Durations are written {@code 30m}, {@code 72h}, {@code 1h30m}, {@code 2d}.
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
        String ttl,
        List<VerifyCheck> verify,
        String onFailure,
        List<String> approvers) {

    public static final String TRIGGER_PULL_REQUEST = "pull-request";
    public static final String TRIGGER_TRUNK = "trunk";
    public static final String TRIGGER_RELEASE_TAG = "release-tag";
    public static final String CONCURRENCY_SUPERSEDE = "supersede";
    public static final String CONCURRENCY_QUEUE = "queue";
    public static final String ON_FAILURE_FAIL = "fail";
    public static final String ON_FAILURE_ROLLBACK = "rollback";

    /** The form before verification: no checks. */
    public EnvironmentConfiguration(String name, String trigger, TargetSpec target, TargetSpec teardown, String url,
            String requires, Boolean approval, String soak, List<FreezeWindow> freeze, String concurrency, String ttl) {
        this(name, trigger, target, teardown, url, requires, approval, soak, freeze, concurrency, ttl, null, null);
    }

    /** The form before approvers: any operator may approve. */
    public EnvironmentConfiguration(String name, String trigger, TargetSpec target, TargetSpec teardown, String url,
            String requires, Boolean approval, String soak, List<FreezeWindow> freeze, String concurrency, String ttl,
            List<VerifyCheck> verify, String onFailure) {
        this(name, trigger, target, teardown, url, requires, approval, soak, freeze, concurrency, ttl, verify, onFailure,
                null);
    }

    EnvironmentConfiguration normalised() {
        return new EnvironmentConfiguration(name, trigger, target, teardown, url, requires, Boolean.TRUE.equals(approval),
                soak, freeze == null || freeze.isEmpty() ? null : List.copyOf(freeze), concurrency, ttl,
                verify == null || verify.isEmpty() ? null : List.copyOf(verify), onFailure,
                approvers == null || approvers.isEmpty() ? null : List.copyOf(approvers));
    }

    /**
     * Whether a caller with these roles and groups may approve this environment's deployments: anyone
     * the API lets approve (role {@code operator}) when no {@code approvers} are listed, else only a member
     * of one of them.
     */
    public boolean approvableBy(Collection<String> memberships) {
        return approvers == null || approvers.isEmpty() || approvers.stream().anyMatch(memberships::contains);
    }

    /** Whether a deployment whose {@code verify} checks failed is rolled back to the previous successful commit. */
    public boolean rollsBackOnFailedVerification() {
        return ON_FAILURE_ROLLBACK.equals(onFailure) && verify != null && !verify.isEmpty();
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
