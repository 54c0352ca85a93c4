package io.trunkline.promotion.service;

import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import java.util.ArrayList;
import java.util.List;

/** Which environments a push deploys to. Pure: no I/O. */
public final class PromotionRules {

    private PromotionRules() {
    }

    public static List<PlannedDeployment> plan(RepositoryConfiguration config, RefsPushed push) {
        return plan(config, push.changes());
    }

    /** The deployments the given changes call for, in their order. */
    public static List<PlannedDeployment> plan(RepositoryConfiguration config, List<RefChange> changes) {
        List<PlannedDeployment> planned = new ArrayList<>();
        for (RefChange change : changes) {
            if (change.deleted()) {
                continue;
            }
            for (EnvironmentConfiguration environment : config.environments()) {
                if (triggers(config, environment, change)) {
                    boolean tag = change.refType() == RefType.TAG;
                    planned.add(new PlannedDeployment(environment, change.newCommit(),
                            tag ? null : change.refName(), tag ? change.refName() : null));
                }
            }
        }
        return planned;
    }

    private static boolean triggers(RepositoryConfiguration config, EnvironmentConfiguration environment, RefChange change) {
        return switch (environment.trigger()) {
            case EnvironmentConfiguration.TRIGGER_TRUNK ->
                    change.refType() == RefType.BRANCH && change.refName().equals(config.trunkBranch());
            case EnvironmentConfiguration.TRIGGER_RELEASE_TAG ->
                    change.refType() == RefType.TAG && GlobPattern.matches(config.releaseTagPattern(), change.refName());
            default -> false;
        };
    }
}
