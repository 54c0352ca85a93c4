package io.trunkline.commons.lanes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One key at a time and in order; different keys side by side, up to the parallelism; a task that ends
 * later keeps its key but gives its thread back; the caller held back at capacity; on close, running
 * tasks get their grace and nothing new starts.
 */
class KeyedLanesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final CountDownLatch release = new CountDownLatch(1);
    private KeyedLanes lanes;

    @AfterEach
    void close() {
        release.countDown();
        lanes.close();
    }

    private Runnable blocked(List<String> started, String name) {
        return () -> {
            started.add(name);
            try {
                release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void tasksOfOneKeyRunOneAtATimeInTheOrderTheyCame() {
        lanes = new KeyedLanes(4, 100, "test");
        List<String> done = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        for (int i = 0; i < 50; i++) {
            String name = "task-" + i;
            lanes.submit("acme/web/staging", () -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                Thread.yield();
                done.add(name);
                running.decrementAndGet();
            });
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(done).hasSize(50));
        assertThat(done).isEqualTo(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "task-" + i).toList());
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void differentKeysRunSideBySideUpToTheParallelism() {
        lanes = new KeyedLanes(3, 100, "test");
        List<String> started = new CopyOnWriteArrayList<>();

        for (String key : List.of("a", "b", "c", "d")) {
            lanes.submit(key, blocked(started, key));
        }

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).containsExactlyInAnyOrder("a", "b", "c"));
        release.countDown();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).hasSize(4));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(lanes.pending()).isZero());
    }

    @Test
    void aBusyKeyHoldsBackOnlyItsOwnTasks() {
        lanes = new KeyedLanes(2, 100, "test");
        List<String> started = new CopyOnWriteArrayList<>();

        lanes.submit("slow", blocked(started, "slow-1"));
        lanes.submit("slow", () -> started.add("slow-2"));
        lanes.submit("quick", () -> started.add("quick-1"));
        lanes.submit("quick", () -> started.add("quick-2"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).contains("slow-1", "quick-1", "quick-2"));
        assertThat(started).doesNotContain("slow-2");
        release.countDown();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).contains("slow-2"));
    }

    @Test
    void submittingWaitsForRoomOnceCapacityTasksAreWaitingOrRunning() {
        lanes = new KeyedLanes(1, 3, "test");
        List<String> started = new CopyOnWriteArrayList<>();

        CompletionStage<Void> first = lanes.submit("k", blocked(started, "1"));
        CompletionStage<Void> second = lanes.submit("k", () -> started.add("2"));
        CompletionStage<Void> third = lanes.submit("k", () -> started.add("3"));

        assertThat(first.toCompletableFuture()).isDone();
        assertThat(second.toCompletableFuture()).isDone();
        assertThat(third.toCompletableFuture()).isNotDone();
        release.countDown();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(third.toCompletableFuture()).isDone());
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).containsExactly("1", "2", "3"));
    }

    @Test
    void aTaskThatEndsLaterHoldsItsKeyButNotAThread() {
        lanes = new KeyedLanes(1, 100, "test");
        List<String> started = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> followed = new CompletableFuture<>();

        lanes.submitAsync("a", () -> {
            started.add("a-1");
            return followed; // a run followed elsewhere: the thread is free, the key is not
        });
        lanes.submit("a", () -> started.add("a-2"));
        lanes.submit("b", () -> started.add("b-1"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).containsExactly("a-1", "b-1"));
        assertThat(lanes.pending()).isEqualTo(2);
        followed.complete(null);
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).containsExactly("a-1", "b-1", "a-2"));
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(lanes.pending()).isZero());
    }

    @Test
    void aTaskThatEndsInFailureStillLetsItsKeyGoOn() {
        lanes = new KeyedLanes(1, 100, "test");
        List<String> started = new CopyOnWriteArrayList<>();

        lanes.submitAsync("a", () -> CompletableFuture.failedFuture(
                new IllegalStateException("the follower failed")));
        lanes.submit("a", () -> started.add("a-2"));

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(started).containsExactly("a-2"));
    }

    @Test
    void closingLetsRunningTasksFinishAndStartsNoOther() throws Exception {
        lanes = new KeyedLanes(1, 100, "test");
        List<String> started = new CopyOnWriteArrayList<>();
        List<String> finished = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        lanes.submit("a", () -> {
            started.add("a-1");
            running.countDown();
            try {
                release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                finished.add("a-1");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        lanes.submit("a", () -> started.add("a-2"));
        lanes.submit("b", () -> started.add("b-1")); // waits for the only thread
        assertThat(running.await(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isTrue();

        java.util.concurrent.CompletableFuture<Boolean> closed =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> lanes.close(PATIENCE));
        await().atMost(PATIENCE).until(lanes::isClosing);
        lanes.submit("c", () -> started.add("c-1"));
        release.countDown();

        assertThat(closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("finished within the grace").isTrue();
        assertThat(finished).containsExactly("a-1");
        assertThat(started).containsExactly("a-1");
        assertThat(lanes.pending()).isZero();
    }

    @Test
    void aTaskStillRunningWhenTheGraceEndsIsInterrupted() {
        lanes = new KeyedLanes(2, 100, "test");
        List<String> interrupted = new CopyOnWriteArrayList<>();
        CountDownLatch running = new CountDownLatch(1);
        lanes.submit("a", () -> {
            running.countDown();
            try {
                release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.add("a");
            }
        });
        await().atMost(PATIENCE).until(() -> running.getCount() == 0);

        assertThat(lanes.close(Duration.ofMillis(200))).as("finished within the grace").isFalse();
        await().atMost(PATIENCE).untilAsserted(() -> assertThat(interrupted).containsExactly("a"));
    }
}
