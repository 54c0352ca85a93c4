package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trunkline.deploy.client.CallInterruptedException;
import io.trunkline.deploy.config.DeployConfig;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A followed run is polled on the follower's own threads, never the caller's, until it ends or its
 * deadline passes; stopping the service leaves it to its lease.
 */
class RunFollowerTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final RunFollower.Settings EVERY_50_MS = new RunFollower.Settings(Duration.ofMillis(50),
            Duration.ofMinutes(1));

    private final RunFollower follower = new RunFollower(new NoCancels(), config(16));

    @AfterEach
    void stop() {
        follower.stop(null);
    }

    /** deploy-service's configuration, of which the follower reads only {@code maxConcurrent}. */
    private static DeployConfig config(int maxConcurrent) {
        return (DeployConfig) Proxy.newProxyInstance(DeployConfig.class.getClassLoader(),
                new Class<?>[] {DeployConfig.class}, (proxy, method, args) ->
                        method.getName().equals("maxConcurrent") ? maxConcurrent : null);
    }

    /** No operator cancels anything. */
    private static final class NoCancels extends FollowedRuns {

        NoCancels() {
            super(null, null, null, null);
        }

        @Override
        public Optional<String> cancelReason(UUID deploymentId) {
            return Optional.empty();
        }
    }

    /** A run whose polls answer from {@code polls}; records which thread made each poll. */
    private static final class Scripted implements RunFollower.FollowedRun {

        final List<String> pollThreads = new CopyOnWriteArrayList<>();
        private final Supplier<RunFollower.Poll> polls;

        Scripted(Supplier<RunFollower.Poll> polls) {
            this.polls = polls;
        }

        @Override
        public String name() {
            return "pipeline #7";
        }

        @Override
        public RunFollower.Poll poll() {
            pollThreads.add(Thread.currentThread().getName());
            return polls.get();
        }

        @Override
        public boolean stop() {
            return true;
        }
    }

    private static DeploymentRequested request() {
        return new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "acme", "web"), "staging", DeploymentOperation.DEPLOY,
                "9c4f1d2b7a6e5f8091a2b3c4d5e6f708192a3b4c", "main", null, null, null, null);
    }

    @Test
    void aRunIsPolledOnTheFollowersThreadsUntilItEnds() throws Exception {
        List<RunFollower.Poll> answers = new CopyOnWriteArrayList<>(List.of(new RunFollower.Running("PENDING"),
                new RunFollower.Running("IN_PROGRESS"),
                new RunFollower.Ended(DeploymentState.SUCCEEDED, "pipeline #7 completed: SUCCESSFUL", false)));
        Scripted run = new Scripted(() -> answers.size() > 1 ? answers.remove(0) : answers.get(0));

        CompletionStage<Outcome> outcome = follower.follow(request(), run, Instant.now(), EVERY_50_MS, () -> true, 1);

        assertThat(outcome.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(new Outcome(DeploymentState.SUCCEEDED, "pipeline #7 completed: SUCCESSFUL", 1));
        assertThat(run.pollThreads).hasSize(3).allMatch(name -> name.startsWith("deploy-follow-"));
        await().atMost(PATIENCE).until(() -> follower.following() == 0);
    }

    @Test
    void aRunThatOutlastsItsDeadlineFails() throws Exception {
        Scripted run = new Scripted(() -> new RunFollower.Running("IN_PROGRESS"));

        CompletionStage<Outcome> outcome = follower.follow(request(), run, Instant.now(),
                new RunFollower.Settings(Duration.ofMillis(50), Duration.ofMillis(300)), () -> true, 1);

        Outcome failed = outcome.toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        assertThat(failed.state()).isEqualTo(DeploymentState.FAILED);
        assertThat(failed.reason()).isEqualTo("pipeline #7 had not ended 300ms after the deployment started; it is"
                + " no longer followed");
    }

    @Test
    void aRunWhoseLeaseIsLostIsNoLongerFollowed() throws Exception {
        Scripted run = new Scripted(() -> new RunFollower.Running("IN_PROGRESS"));

        Outcome lost = follower.follow(request(), run, Instant.now(), EVERY_50_MS, () -> false, 1)
                .toCompletableFuture().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);

        assertThat(lost.reason()).isEqualTo("pipeline #7 is no longer followed: this instance could not renew its"
                + " lease on the run");
        assertThat(run.pollThreads).hasSize(1);
    }

    @Test
    void stoppingTheServiceLeavesTheRunsFollowedToTheirLease() {
        Scripted run = new Scripted(() -> new RunFollower.Running("IN_PROGRESS"));
        CompletableFuture<Outcome> outcome = follower.follow(request(), run, Instant.now(), EVERY_50_MS, () -> true, 1)
                .toCompletableFuture();
        await().atMost(PATIENCE).until(() -> run.pollThreads.size() >= 2);

        follower.stop(null);

        await().atMost(PATIENCE).until(outcome::isDone);
        assertThat(outcome).isCompletedExceptionally();
        try {
            outcome.get();
        } catch (InterruptedException | ExecutionException e) {
            assertThat(e).hasCauseInstanceOf(CallInterruptedException.class);
        }
        assertThat(follower.follow(request(), run, Instant.now(), EVERY_50_MS, () -> true, 1).toCompletableFuture())
                .as("nothing more is followed").isCompletedExceptionally();
    }
}
