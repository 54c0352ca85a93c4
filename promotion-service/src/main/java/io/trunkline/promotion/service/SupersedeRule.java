package io.trunkline.promotion.service;

import io.trunkline.events.DeploymentOperation;

/**
 * Whether a new deployment ends an older one of its environment that was not handed over yet (waiting for
 * its turn or for approval). With {@code "concurrency": "supersede"} (the default) the newest commit is the
 * one worth deploying: it supersedes the older ones. With {@code "queue"} every commit runs, in order. A
 * teardown supersedes whatever waits in its preview either way (there is no point deploying what is about
 * to be removed). A deployment the rules planned never supersedes one an operator asked for. Pure.
 */
public final class SupersedeRule {

    private SupersedeRule() {
    }

    public static boolean supersedes(EnvironmentConfiguration environment, DeploymentOperation newest,
            boolean newestByOperator, boolean olderByOperator) {
        if (olderByOperator && !newestByOperator) {
            return false;
        }
        return newest == DeploymentOperation.TEARDOWN || !environment.queues();
    }
}
