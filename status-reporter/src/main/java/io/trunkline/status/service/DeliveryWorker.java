package io.trunkline.status.service;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;
import io.trunkline.commons.messaging.RetryUntilDone;
import io.trunkline.events.ScmProvider;
import io.trunkline.status.client.BitbucketRateLimitedException;
import io.trunkline.status.client.BitbucketRejectedException;
import io.trunkline.status.config.StatusReporterConfig;
import io.trunkline.status.persistence.BitbucketDelivery;
import io.trunkline.status.persistence.DeliveryQueue;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Works off the queue of Bitbucket updates: right after a transaction queued some, and on a schedule
 * for back-offs that ran out. Each claimed update is posted; Bitbucket's answer settles it:
 * accepted (done), refused for good (recorded on the deployment, done), rate-limited (every update to
 * that installation waits for {@code Retry-After}), or unavailable (this update waits, with exponential
 * back-off). Nothing is ever dropped for being late.
 */
@ApplicationScoped
public class DeliveryWorker {

    private static final Logger LOG = Logger.getLogger(DeliveryWorker.class);
    private static final String SETTLE_TASK = "status-reporter/bitbucket-delivery";
    private static final long PENDING_COUNT_INTERVAL_NANOS = 1_000_000_000L;
    /** How long after its claim an update is posted as claimed, without reading whether a newer state replaced it. */
    private static final long FRESH_CLAIM_NANOS = 50_000_000L;

    private final DeliveryQueue queue;
    private final BitbucketUpdates updates;
    private final StatusReporterConfig.Delivery config;
    private final Backoff backoff;
    private final MeterRegistry meters;
    private final DeploymentChanges changes;
    private final RetryUntilDone retries;
    private final AtomicBoolean requested = new AtomicBoolean();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong pendingCountedAt = new AtomicLong();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "bitbucket-delivery");
        thread.setDaemon(true);
        return thread;
    });
    private final ExecutorService posters;

    public DeliveryWorker(DeliveryQueue queue, BitbucketUpdates updates, StatusReporterConfig config,
            MeterRegistry meters, DeploymentChanges changes, RetryUntilDone retries) {
        this.changes = changes;
        this.retries = retries;
        this.queue = queue;
        this.updates = updates;
        this.config = config.delivery();
        this.backoff = new Backoff(this.config.initialBackoff(), this.config.maxBackoff(), this.config.jitter());
        this.meters = meters;
        AtomicInteger posterCount = new AtomicInteger();
        this.posters = Executors.newFixedThreadPool(this.config.parallelism(), runnable -> {
            Thread thread = new Thread(runnable, "bitbucket-post-" + posterCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        pendingCountedAt.set(System.nanoTime() - PENDING_COUNT_INTERVAL_NANOS);
        meters.gauge("trunkline.bitbucket.deliveries.pending", pending);
    }

    /** Asks for a run soon; requests made while one is pending are folded into it. */
    public void requestRun() {
        if (!executor.isShutdown() && requested.compareAndSet(false, true)) {
            try {
                executor.execute(this::run);
            } catch (RejectedExecutionException e) {
                // stopping: the rows stay queued for the next start
            }
        }
    }

    @Scheduled(every = "${trunkline.delivery.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        requestRun();
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdown(); // a post in flight finishes (it times out within seconds); claimed rows wait for the next start
        posters.shutdown();
    }

    private void run() {
        requested.set(false);
        try {
            List<BitbucketDelivery> batch;
            do {
                batch = QuarkusTransaction.requiringNew()
                        .call(() -> queue.claimDue(config.batchSize(), config.claimTimeout()));
                deliver(batch, System.nanoTime());
            } while (batch.size() == config.batchSize() && !executor.isShutdown());
            countPending();
        } catch (RuntimeException e) {
            LOG.warnf("Bitbucket delivery run failed, retrying on the next poll: %s", e.getMessage());
        }
    }

    /** Counts the queue for the pending gauge, at most once a second however often the worker runs. */
    private void countPending() {
        long now = System.nanoTime();
        long last = pendingCountedAt.get();
        if (now - last >= PENDING_COUNT_INTERVAL_NANOS && pendingCountedAt.compareAndSet(last, now)) {
            pending.set(QuarkusTransaction.requiringNew().call(queue::pending));
        }
    }

    /**
     * Posts a claimed batch: each provider's first update alone, then the rest up to
     * {@code trunkline.delivery.parallelism} at once (each row is one commit's status or one pull request's
     * comment, so no two of them overwrite each other). A provider whose first update is rate-limited gets no
     * other post until its pause ends: its other updates go back to the queue.
     */
    private void deliver(List<BitbucketDelivery> batch, long claimedAt) {
        Set<ScmProvider> paused = ConcurrentHashMap.newKeySet();
        Set<ScmProvider> probed = EnumSet.noneOf(ScmProvider.class);
        List<BitbucketDelivery> rest = new ArrayList<>(batch.size());
        for (BitbucketDelivery delivery : batch) {
            if (probed.add(delivery.provider)) {
                deliver(delivery, paused, claimedAt);
            } else {
                rest.add(delivery);
            }
        }
        List<CompletableFuture<Void>> posts = new ArrayList<>(rest.size());
        for (BitbucketDelivery delivery : rest) {
            try {
                posts.add(CompletableFuture.runAsync(() -> deliver(delivery, paused, claimedAt), posters));
            } catch (RejectedExecutionException e) {
                break; // stopping: the claim runs out and the update is posted after the restart
            }
        }
        CompletableFuture.allOf(posts.toArray(CompletableFuture[]::new)).exceptionally(failure -> null).join();
    }

    private void deliver(BitbucketDelivery claimed, Set<ScmProvider> paused, long claimedAt) {
        if (paused.contains(claimed.provider) || executor.isShutdown()) {
            QuarkusTransaction.requiringNew().run(() -> queue.release(claimed.id));
            return;
        }
        // a later state may have arrived while the batch waited for its turn: that one is posted, not the claimed one.
        // Right after the claim that is not worth a read: a state that arrives meanwhile is posted just after
        // (the row is only done when Bitbucket took its latest revision)
        BitbucketDelivery delivery = System.nanoTime() - claimedAt < FRESH_CLAIM_NANOS ? claimed
                : QuarkusTransaction.requiringNew().call(() -> queue.latest(claimed));
        Outcome outcome = attempt(delivery);
        meters.counter("trunkline.bitbucket.deliveries", "kind", delivery.kind, "outcome", outcome.name().toLowerCase())
                .increment();
        if (outcome == Outcome.RATE_LIMITED) {
            paused.add(delivery.provider);
        }
    }

    private Outcome attempt(BitbucketDelivery delivery) {
        try {
            updates.post(delivery);
        } catch (BitbucketRejectedException e) {
            LOG.warnf("Deployment %s: Bitbucket refused %s for good: %s", delivery.deploymentId, delivery.kind,
                    e.getMessage());
            settle(delivery, () -> {
                queue.refused(delivery.id, delivery.revision, delivery.deploymentId, e.getMessage());
                changes.changed(delivery.deploymentId);
            });
            return Outcome.REFUSED;
        } catch (BitbucketRateLimitedException e) {
            Duration wait = e.retryAfter().orElse(config.rateLimitPause());
            Instant until = Instant.now().plus(wait);
            LOG.infof("Bitbucket (%s) rate-limits the token: every update waits %d s (%s)", delivery.provider.id(),
                    wait.toSeconds(), e.retryAfter().isPresent() ? "Retry-After" : "no Retry-After given");
            settle(delivery, () -> {
                queue.pause(delivery.provider, until, e.getMessage());
                queue.retryAt(delivery.id, until, e.getMessage());
            });
            return Outcome.RATE_LIMITED;
        } catch (RuntimeException e) {
            // unavailable, timed out, circuit open, or unexpected: this update waits and is tried again
            Duration wait = backoff.after(delivery.attempts + 1, bound -> ThreadLocalRandom.current().nextLong(bound));
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            // the first failure and every tenth after it are worth a line; the rest only at debug level
            LOG.logf(delivery.attempts % 10 == 0 ? Logger.Level.INFO : Logger.Level.DEBUG,
                    "Bitbucket could not take %s for deployment %s (attempt %d), again in %d ms: %s", delivery.kind,
                    delivery.deploymentId, delivery.attempts + 1, wait.toMillis(), reason);
            settle(delivery, () -> queue.retryAt(delivery.id, Instant.now().plus(wait), reason));
            return Outcome.RETRY;
        }
        settle(delivery, () -> queue.delivered(delivery.id, delivery.revision));
        LOG.debugf("Delivered %s (revision %d) for deployment %s", delivery.target, delivery.revision,
                delivery.deploymentId);
        return Outcome.DELIVERED;
    }

    /**
     * Records what Bitbucket answered. The post already happened, so a database outage at this point
     * is waited out rather than turned into a second post once the claim runs out; only a stop gives
     * up (the claim then expires and the update is posted again, which Bitbucket takes as the same
     * status).
     */
    private void settle(BitbucketDelivery delivery, Runnable settlement) {
        retries.run(SETTLE_TASK, delivery.target, () -> QuarkusTransaction.requiringNew().run(settlement));
    }

    private enum Outcome { DELIVERED, REFUSED, RATE_LIMITED, RETRY }
}
