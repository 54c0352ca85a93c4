package io.trunkline.promotion.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trunkline.events.TargetSpec;

/**
 * One environment of a repository: when it deploys ({@code trigger}), where ({@code target}),
 * what must have succeeded first ({@code requires}) and whether an operator approves.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EnvironmentConfiguration(
        String name,
        String trigger,
        TargetSpec target,
        TargetSpec teardown,
        String url,
        String requires,
        Boolean approval) {

    public static final String TRIGGER_PULL_REQUEST = "pull-request";
    public static final String TRIGGER_TRUNK = "trunk";
    public static final String TRIGGER_RELEASE_TAG = "release-tag";

    EnvironmentConfiguration normalised() {
        return new EnvironmentConfiguration(name, trigger, target, teardown, url, requires, Boolean.TRUE.equals(approval));
    }

    public boolean needsApproval() {
        return Boolean.TRUE.equals(approval);
    }
}
