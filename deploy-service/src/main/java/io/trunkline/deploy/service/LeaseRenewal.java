package io.trunkline.deploy.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.deploy.persistence.DeploymentRuns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Renews, every {@code trunkline.deploy.lease-renew-interval}, the leases of the runs this
 * instance is working on ({@link ActiveRuns}), so that no other instance takes over a run whose
 * target call lasts longer than {@code trunkline.deploy.lease-ttl}. A renewal that finds a run
 * taken over marks it lost, and its worker makes no further attempt. It runs on a thread of its
 * own, at exactly the configured interval (the Quarkus scheduler rounds sub-second intervals up to a
 * second, which a short lease cannot afford).
 */
@ApplicationScoped
public class LeaseRenewal {

    private static final Logger LOG = Logger.getLogger(LeaseRenewal.class);

    private final DeploymentRuns runs;
    private final ActiveRuns active;
    private final InstanceId instance;
    private final DeployConfig config;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deploy-lease-renewal");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean failing;

    public LeaseRenewal(DeploymentRuns runs, ActiveRuns active, InstanceId instance, DeployConfig config) {
        this.runs = runs;
        this.active = active;
        this.instance = instance;
        this.config = config;
        if (config.leaseRenewInterval().compareTo(config.leaseTtl()) >= 0) {
            throw new IllegalArgumentException("trunkline.deploy.lease-renew-interval (" + config.leaseRenewInterval()
                    + ") must be shorter than trunkline.deploy.lease-ttl (" + config.leaseTtl() + ")");
        }
    }

    void start(@Observes StartupEvent event) {
        long interval = config.leaseRenewInterval().toMillis();
        executor.scheduleWithFixedDelay(this::renewAllSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
    }

    private void renewAllSafely() {
        try {
            renewAll();
        } catch (RuntimeException e) {
            // a failure must not end the schedule
            LOG.errorf(e, "Unexpected failure while renewing leases");
        }
    }

    void renewAll() {
        Set<UUID> ids = active.ids();
        if (ids.isEmpty()) {
            return;
        }
        long confirmedAt = System.nanoTime();
        List<UUID> lost;
        try {
            lost = QuarkusTransaction.requiringNew().call(() -> {
                List<UUID> notHeld = new ArrayList<>();
                for (UUID id : ids) {
                    if (!runs.renew(id, instance.id(), config.leaseTtl())) {
                        notHeld.add(id);
                    }
                }
                return notHeld;
            });
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("Cannot renew the leases of %d deployment runs (retrying every %d ms): %s", ids.size(),
                        config.leaseRenewInterval().toMillis(), e.getMessage());
            }
            failing = true;
            return;
        }
        if (failing) {
            LOG.infof("Leases renewed again (%d deployment runs)", ids.size());
            failing = false;
        }
        for (UUID id : ids) {
            if (lost.contains(id)) {
                // ended by its own worker a moment ago, or taken over: the worker says which when it records
                LOG.debugf("Deployment %s: lease not renewed, the run is no longer in progress under this instance", id);
                active.lost(id);
            } else {
                active.renewed(id, confirmedAt);
            }
        }
    }
}
