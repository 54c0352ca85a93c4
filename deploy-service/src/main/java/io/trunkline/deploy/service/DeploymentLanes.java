package io.trunkline.deploy.service;

import io.quarkus.runtime.ShutdownEvent;
import io.trunkline.deploy.config.DeployConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.concurrent.CompletionStage;

/**
 * Where this instance's deployments run: one lane per repository and environment (the Kafka key of
 * the deploy requests), so the deployments of one environment run one at a time and in order, and
 * up to {@code trunkline.deploy.max-concurrent} environments are deployed side by side. Runs resumed
 * after a takeover go through the same lanes. Stopping the service interrupts what runs: those runs
 * are left to their lease and the requests not yet done are delivered again.
 */
@ApplicationScoped
public class DeploymentLanes {

    private final KeyedLanes lanes;

    public DeploymentLanes(DeployConfig config) {
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

    void stop(@Observes ShutdownEvent event) {
        lanes.close();
    }
}
