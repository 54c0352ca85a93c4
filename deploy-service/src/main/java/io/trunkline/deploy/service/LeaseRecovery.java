package io.trunkline.deploy.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.deploy.persistence.DeploymentRuns;
import io.trunkline.deploy.persistence.DeploymentRuns.ExpiredLease;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.EventCodec;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Every {@code trunkline.deploy.recovery-interval}, takes over the runs in progress whose lease
 * expired because their worker stopped (process killed, machine lost), as {@link LeaseTakeover}
 * decides: a run whose target started a run of its own (a pipeline) is leased to this instance and
 * followed again, and one with an idempotent target is called again (in its
 * environment's lane of {@link DeploymentLanes}, so recovery goes on and the environment's
 * deployments still run one at a time); any other ends FAILED with
 * {@value LeaseTakeover#STOPPED_DURING_THE_CALL} and its state goes through the outbox, so that
 * promotion-service frees the environment. Rows are locked with {@code FOR UPDATE SKIP LOCKED}:
 * several instances recover side by side without taking the same run twice. Passes run on a thread
 * of their own, at exactly the configured interval.
 */
@ApplicationScoped
public class LeaseRecovery {

    private static final Logger LOG = Logger.getLogger(LeaseRecovery.class);
    private static final int BATCH_SIZE = 50;

    private final DeploymentRuns runs;
    private final Outbox outbox;
    private final ActiveRuns active;
    private final InstanceId instance;
    private final DeploymentRunner runner;
    private final DeployConfig config;
    private final MeterRegistry meters;
    private final DeploymentLanes lanes;
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "deploy-lease-recovery");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean failing;

    public LeaseRecovery(DeploymentRuns runs, Outbox outbox, ActiveRuns active, InstanceId instance,
            DeploymentRunner runner, DeployConfig config, MeterRegistry meters, DeploymentLanes lanes) {
        this.runs = runs;
        this.outbox = outbox;
        this.active = active;
        this.instance = instance;
        this.runner = runner;
        this.config = config;
        this.meters = meters;
        this.lanes = lanes;
    }

    void start(@Observes StartupEvent event) {
        long interval = config.recoveryInterval().toMillis();
        schedule.scheduleWithFixedDelay(this::recoverSafely, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void recoverSafely() {
        try {
            recover();
        } catch (RuntimeException e) {
            // a failure must not end the schedule
            LOG.errorf(e, "Unexpected failure while recovering deployment runs");
        }
    }

    void recover() {
        if (schedule.isShutdown()) {
            return;
        }
        long confirmedAt = System.nanoTime();
        List<Resumed> resumed;
        try {
            resumed = QuarkusTransaction.requiringNew().call(this::takeOverExpired);
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warnf("Cannot look for deployment runs with an expired lease (retrying every %d ms): %s",
                        config.recoveryInterval().toMillis(), e.getMessage());
            }
            failing = true;
            return;
        }
        failing = false;
        for (Resumed run : resumed) {
            active.started(run.request().deploymentId(), confirmedAt);
            // when stopping, the lane runs nothing more: the lease expires again and an instance that runs takes over
            lanes.submitAsync(run.request().partitionKey(), () -> runner.resume(run.request(), run.externalId()));
        }
    }

    /** A run taken over, to call again or to follow. */
    private record Resumed(DeploymentRequested request, String externalId) {
    }

    /** In the caller's transaction: the runs to call again or follow, now leased to this instance. */
    private List<Resumed> takeOverExpired() {
        List<Resumed> resumed = new ArrayList<>();
        for (ExpiredLease lease : runs.expiredLeases(BATCH_SIZE)) {
            boolean workedOnHere = instance.id().equals(lease.owner()) && active.contains(lease.deploymentId());
            DeploymentRequested request = workedOnHere ? null : readRequest(lease);
            LeaseTakeover.Decision decision = LeaseTakeover.decide(lease.expiredAt(), lease.databaseNow(), workedOnHere,
                    request, lease.externalId() != null);
            switch (decision) {
                case LEAVE -> {
                }
                case RESUME -> {
                    runs.takeOver(lease.deploymentId(), instance.id(), config.leaseTtl());
                    resumed.add(new Resumed(request, lease.externalId()));
                    count("resumed");
                }
                case FAIL -> {
                    fail(lease, request);
                    count("failed");
                }
            }
        }
        return resumed;
    }

    private void fail(ExpiredLease lease, DeploymentRequested request) {
        Instant now = Instant.now();
        String reason = LeaseTakeover.STOPPED_DURING_THE_CALL;
        runs.failAbandoned(lease.deploymentId(), reason, now);
        if (request == null) {
            LOG.errorf("Deployment %s: its worker %s stopped during the call and its request is not readable;"
                    + " recorded FAILED, but no state can be published for it", lease.deploymentId(), lease.owner());
            return;
        }
        outbox.append(Topics.DEPLOYMENT_STATUS, StateEvents.of(request, DeploymentState.FAILED, reason, now));
        String notAgain = lease.externalId() != null
                || (request.target() != null && request.target().allowsRepeatedCalls())
                ? "promotion-service gave up on it at " + request.notAfter()
                : "the target is not idempotent";
        LOG.warnf("Deployment %s of %s to %s: FAILED, %s (lease of %s expired at %s; not called again: %s)",
                lease.deploymentId(), StateEvents.repository(request), request.environment(), reason, lease.owner(),
                lease.expiredAt(), notAgain);
    }

    private static DeploymentRequested readRequest(ExpiredLease lease) {
        if (lease.request() == null) {
            return null;
        }
        try {
            return EventCodec.decode(DeploymentRequested.TYPE, lease.request())
                    .map(DeploymentRequested.class::cast)
                    .orElse(null);
        } catch (EventCodec.MalformedEventException e) {
            return null;
        }
    }

    private void count(String decision) {
        meters.counter("trunkline.deploy.runs.taken.over", "decision", decision).increment();
    }

    void stop(@Observes ShutdownEvent event) {
        schedule.shutdownNow();
    }
}
