package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One key at a time and in order; different keys side by side, up to the parallelism; the caller held back at capacity. */
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
}
