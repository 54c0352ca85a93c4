package io.trunkline.deploy.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.configuration.DurationConverter;
import io.trunkline.deploy.client.CallInterruptedException;
import io.trunkline.deploy.client.CallRetries;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.TargetSpec;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.jboss.logging.Logger;

/**
 * Follows a run a target started (a Bitbucket pipeline, a Pulumi deployment) until it ends: polled every
 * {@code interval} (longer when the API asks with {@code Retry-After}), given up {@code deadline} after
 * the deployment started. Following holds no thread between polls, and so no lane of
 * {@link DeploymentLanes}: the polls are scheduled on a few threads of the follower's own
 * ({@code max-concurrent / 4}, at least 2), while the environment's lane stays taken until the run
 * ends. A poll that fails (no connection, {@code 5xx}, {@code 429}) is made again at the next interval;
 * one that says the run is gone ends the deployment FAILED. An operator's cancel, looked for before each
 * poll, asks the target to stop the run once; the run then ends CANCELLED when the target says it
 * stopped. A worker that lost its lease stops following: the new owner follows.
 */
@ApplicationScoped
public class RunFollower {

    private static final Logger LOG = Logger.getLogger(RunFollower.class);

    private final FollowedRuns followed;
    private final DeployConfig config;
    private final ScheduledExecutorService polls;
    private final Set<CompletableFuture<Outcome>> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean stopping;

    public RunFollower(FollowedRuns followed, DeployConfig config) {
        this.followed = followed;
        this.config = config;
        AtomicInteger count = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(pollThreads(config.maxConcurrent()),
                runnable -> {
                    Thread thread = new Thread(runnable, "deploy-follow-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        executor.setRemoveOnCancelPolicy(true);
        this.polls = executor;
    }

    /** The threads polls are made on: a poll is one short call, so a few serve many runs. */
    static int pollThreads(int maxConcurrent) {
        return Math.max(2, maxConcurrent / 4);
    }

    /** A run at a target, as a follower sees it. */
    public interface FollowedRun {

        /** Names the run in reasons and logs, e.g. "Bitbucket pipeline #12 (https://...)". */
        String name();

        /** Reads the run's state once. */
        Poll poll();

        /** Asks the target to stop the run; true when it accepted. */
        boolean stop();
    }

    /** What one poll saw. */
    public sealed interface Poll {
    }

    /** Still running; {@code state} as the target calls it. */
    public record Running(String state) implements Poll {
    }

    /**
     * Ended: {@code SUCCEEDED}, {@code FAILED} or {@code CANCELLED}, with what the target said.
     *
     * @param stopped the target says the run was stopped (so an operator's cancel took effect)
     */
    public record Ended(DeploymentState state, String what, boolean stopped) implements Poll {
    }

    /** The poll failed for now (no connection, 5xx, 429); {@code retryAfter} null when the API did not say. */
    public record PollFailed(String why, Duration retryAfter) implements Poll {
    }

    /** The run cannot be read any more (404, refused): following it is pointless. */
    public record Gone(String why) implements Poll {
    }

    /** How often and how long a target's runs are followed. */
    public record Settings(Duration interval, Duration deadline) {
    }

    /**
     * The target's {@code follow} settings, or the service's defaults.
     *
     * @throws DeploymentFailedException for a duration that cannot be read
     */
    public Settings settings(TargetSpec target) {
        TargetSpec.FollowUp follow = target.follow();
        Duration interval = follow == null ? null : duration(follow.interval(), "follow.interval");
        Duration deadline = follow == null ? null : duration(follow.deadline(), "follow.deadline");
        return new Settings(interval == null ? config.follow().interval() : interval,
                deadline == null ? config.follow().deadline() : deadline);
    }

    private static Duration duration(String text, String field) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            Duration duration = DurationConverter.parseDuration(text.trim());
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException();
            }
            return duration;
        } catch (RuntimeException e) {
            throw new DeploymentFailedException("target " + field + " is not a positive duration such as 5s or 60m");
        }
    }

    /**
     * Follows the run until it ends, the deadline passes, or this instance loses the run, without holding
     * the caller's thread: each poll is scheduled on this follower's own few threads, the next one
     * {@code interval} after the last (longer when the API asks). The first poll is made at once.
     *
     * @param startedAt when the deployment started: the deadline counts from there
     * @param calls the calls made to start the run, for the outcome's count
     * @return completes with the outcome; completes with a {@link CallInterruptedException} when the
     *         process stops first: the run is left to its lease and followed again
     */
    public CompletionStage<Outcome> follow(DeploymentRequested request, FollowedRun run, Instant startedAt,
            Settings settings, BooleanSupplier leaseHeld, int calls) {
        Following following = new Following(request, run, startedAt.plus(settings.deadline()), settings, leaseHeld,
                calls);
        inFlight.add(following.outcome);
        following.outcome.whenComplete((outcome, failure) -> inFlight.remove(following.outcome));
        if (stopping) {
            following.interrupted();
        } else {
            following.next(Duration.ZERO);
        }
        return following.outcome;
    }

    /** How many runs this instance is following right now. */
    public int following() {
        return inFlight.size();
    }

    /** One run being followed: what the polls so far have seen, and the outcome once it is known. */
    private final class Following {

        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        private final DeploymentRequested request;
        private final FollowedRun run;
        private final Instant deadline;
        private final Settings settings;
        private final BooleanSupplier leaseHeld;
        private final int calls;
        private String cancelled;
        private boolean stopAccepted;
        private boolean failing;
        private boolean polledBefore;

        Following(DeploymentRequested request, FollowedRun run, Instant deadline, Settings settings,
                BooleanSupplier leaseHeld, int calls) {
            this.request = request;
            this.run = run;
            this.deadline = deadline;
            this.settings = settings;
            this.leaseHeld = leaseHeld;
            this.calls = calls;
        }

        void next(Duration wait) {
            try {
                polls.schedule(this::pollSafely, wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                interrupted();
            }
        }

        void interrupted() {
            outcome.completeExceptionally(new CallInterruptedException("deploy-service is stopping while following "
                    + run.name()));
        }

        private void pollSafely() {
            if (outcome.isDone()) {
                return;
            }
            try {
                Duration wait = pollOnce();
                if (wait != null) {
                    next(wait);
                }
            } catch (RuntimeException e) {
                outcome.completeExceptionally(e);
            }
        }

        /** One round: the lease, the operator's cancel, one poll. @return the wait before the next; null when ended */
        private Duration pollOnce() {
            if (polledBefore && !leaseHeld.getAsBoolean()) {
                return end(Outcome.failed(run.name() + " is no longer followed: this instance could not renew its"
                        + " lease on the run", calls));
            }
            polledBefore = true;
            if (cancelled == null) {
                Optional<String> cancel = followed.cancelReason(request.deploymentId());
                if (cancel.isPresent()) {
                    cancelled = cancel.get();
                    stopAccepted = run.stop();
                    LOG.infof("Deployment %s: %s; %s %s", request.deploymentId(), cancelled, run.name(),
                            stopAccepted ? "is being stopped" : "could not be stopped, it is followed to its end");
                }
            }
            Poll poll = run.poll();
            if (poll instanceof Ended ended) {
                if (cancelled != null && (ended.stopped() || ended.state() == DeploymentState.CANCELLED
                        || (stopAccepted && ended.state() == DeploymentState.FAILED))) {
                    return end(new Outcome(DeploymentState.CANCELLED, cancelled + "; " + ended.what(), calls));
                }
                return end(new Outcome(ended.state(), ended.what(), calls));
            }
            if (poll instanceof Gone gone) {
                return end(Outcome.failed(run.name() + " can no longer be followed: " + gone.why(), calls));
            }
            Duration wait = settings.interval();
            if (poll instanceof PollFailed failed) {
                if (!failing) {
                    LOG.warnf("Deployment %s: cannot read %s for now (%s); trying again every %s",
                            request.deploymentId(), run.name(), failed.why(), CallRetries.human(settings.interval()));
                }
                failing = true;
                if (failed.retryAfter() != null && failed.retryAfter().compareTo(wait) > 0) {
                    wait = failed.retryAfter();
                }
            } else {
                failing = false;
            }
            if (!Instant.now().plus(wait).isBefore(deadline)) {
                return end(Outcome.failed(run.name() + " had not ended " + CallRetries.human(settings.deadline())
                        + " after the deployment started; it is no longer followed", calls));
            }
            return wait;
        }

        private Duration end(Outcome ended) {
            outcome.complete(ended);
            return null;
        }
    }

    /**
     * Stops following: the runs followed are left to their lease (another instance, or this one after its
     * restart, follows them again). Runs after the lanes had their grace, so a run that ended meanwhile is
     * recorded.
     */
    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        polls.shutdownNow();
        for (CompletableFuture<Outcome> outcome : List.copyOf(inFlight)) {
            outcome.completeExceptionally(new CallInterruptedException("deploy-service is stopping while following"
                    + " the run"));
        }
    }
}
