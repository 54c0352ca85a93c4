package io.trunkline.deploy.service;

import io.quarkus.runtime.ShutdownEvent;
import io.trunkline.commons.lanes.KeyedLanes;
import io.trunkline.deploy.config.DeployConfig;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Where this instance's deployments run: one lane per repository and environment (the Kafka key of
 * the deploy requests), so the deployments of one environment run one at a time and in order, and
 * up to {@code trunkline.deploy.max-concurrent} target calls are made side by side. A run a target
 * started (a pipeline, a Pulumi deployment) keeps its environment's lane until it ends, but not a
 * thread: it is followed by {@link RunFollower}, so any number of runs are followed while the threads
 * serve the other environments. Runs resumed
 * after a takeover go through the same lanes. Stopping the service (SIGTERM) starts no other run: the
 * runs under way get {@code trunkline.deploy.shutdown-grace} to finish (a target call answers, its
 * outcome is recorded), then what still runs is interrupted and left to its lease, and the requests
 * not yet started are delivered again to whichever instance takes their partitions.
 */
@ApplicationScoped
public class DeploymentLanes {

    private static final Logger LOG = Logger.getLogger(DeploymentLanes.class);

    private final KeyedLanes lanes;
    private final Duration shutdownGrace;

    public DeploymentLanes(DeployConfig config) {
        this.shutdownGrace = config.shutdownGrace();
        this.lanes = new KeyedLanes(config.maxConcurrent(), Math.max(config.maxPending(), config.maxConcurrent()),
                "deploy-lane");
    }

    /**
     * Runs {@code work} after everything submitted before under the same key.
     *
     * @return completes when the instance may take another request
     */
    public CompletionStage<Void> submit(String key, Runnable work) {
        return lanes.submit(key == null ? "" : key, work);
    }

    /**
     * Runs {@code work} after everything submitted before under the same key; the key's next work waits
     * until the stage {@code work} returns has completed (a run being followed), its thread does not.
     *
     * @return completes when the instance may take another request
     */
    public CompletionStage<Void> submitAsync(String key, Supplier<? extends CompletionStage<?>> work) {
        return lanes.submitAsync(key == null ? "" : key, work);
    }

    /** Runs before the other shutdown observers, so lease renewal and outcome recording still work meanwhile. */
    void stop(@Observes @Priority(100) ShutdownEvent event) {
        if (lanes.pending() > 0) {
            LOG.infof("Stopping: no new deployment starts; up to %d s for the ones under way to finish",
                    shutdownGrace.toSeconds());
        }
        if (!lanes.close(shutdownGrace)) {
            LOG.warnf("Stopping: deployments still running after %d s were interrupted; their leases expire and "
                    + "another instance takes them over", shutdownGrace.toSeconds());
        }
    }
}
