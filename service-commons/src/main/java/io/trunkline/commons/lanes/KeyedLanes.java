package io.trunkline.commons.lanes;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Runs tasks one at a time per key, in the order they were submitted, and tasks of different keys
 * side by side on at most {@code parallelism} threads. A key's lane hands its next task to the pool
 * only when the one before it has finished, so a slow key holds one thread and never another key's
 * turn. A task may also finish later than its thread is done with it ({@link #submitAsync}: a run
 * followed by polls scheduled elsewhere): its key stays taken until then, but no thread does.
 * {@link #submit} returns when there is room: at most {@code capacity} tasks wait or run at once,
 * which is how the caller (a Kafka consumer) is held back instead of filling memory.
 */
public final class KeyedLanes implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KeyedLanes.class);
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    private final ExecutorService threads;
    private final int capacity;
    private final Map<String, Deque<Supplier<? extends CompletionStage<?>>>> lanes = new HashMap<>();
    private final Deque<CompletableFuture<Void>> waitingForRoom = new ArrayDeque<>();
    private int pending;
    private volatile boolean closing;

    /**
     * @param parallelism how many tasks run at once, each of a different key
     * @param capacity how many tasks may wait or run before {@link #submit} makes its caller wait
     */
    public KeyedLanes(int parallelism, int capacity, String threadName) {
        if (parallelism < 1 || capacity < parallelism) {
            throw new IllegalArgumentException("parallelism must be at least 1 and capacity at least parallelism");
        }
        this.capacity = capacity;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(parallelism, runnable -> {
            Thread thread = new Thread(runnable, threadName + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Queues {@code task} behind every task submitted before it under {@code key}.
     *
     * @return completes once fewer than {@code capacity} tasks are waiting or running, this one included
     */
    public CompletionStage<Void> submit(String key, Runnable task) {
        return submitAsync(key, () -> {
            task.run();
            return DONE;
        });
    }

    /**
     * Queues {@code task} behind every task submitted before it under {@code key}; the key's next task starts
     * only once the stage {@code task} returns has completed, while the thread that ran {@code task} goes
     * back to the pool as soon as it returned.
     *
     * @return completes once fewer than {@code capacity} tasks are waiting or running, this one included
     */
    public CompletionStage<Void> submitAsync(String key, Supplier<? extends CompletionStage<?>> task) {
        boolean start;
        CompletableFuture<Void> room;
        synchronized (this) {
            pending++;
            Deque<Supplier<? extends CompletionStage<?>>> lane = lanes.get(key);
            start = lane == null;
            if (start) {
                lane = new ArrayDeque<>();
                lanes.put(key, lane);
            }
            lane.add(task);
            if (pending < capacity) {
                room = CompletableFuture.completedFuture(null);
            } else {
                room = new CompletableFuture<>();
                waitingForRoom.add(room);
            }
        }
        if (start) {
            schedule(key);
        }
        return room;
    }

    /** How many tasks are waiting or running. */
    public synchronized int pending() {
        return pending;
    }

    private void schedule(String key) {
        try {
            threads.execute(() -> runNext(key));
        } catch (RejectedExecutionException e) {
            // closing: the tasks left are not run; their records are delivered again after the restart
            synchronized (this) {
                Deque<?> dropped = lanes.remove(key);
                pending -= dropped == null ? 0 : dropped.size();
            }
        }
    }

    private void runNext(String key) {
        Supplier<? extends CompletionStage<?>> task;
        synchronized (this) {
            if (closing) {
                // closing: a task that has not started never starts; its record is delivered again after the restart
                Deque<?> dropped = lanes.remove(key);
                pending -= dropped == null ? 0 : dropped.size();
                return;
            }
            task = lanes.get(key).peek();
        }
        CompletionStage<?> end;
        try {
            end = task.get();
        } catch (RuntimeException e) {
            LOG.errorf(e, "Task of lane %s failed", key);
            end = null;
        }
        if (end == null) {
            finished(key);
            return;
        }
        end.whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.errorf(failure, "Task of lane %s failed", key);
            }
            finished(key);
        });
    }

    /** The task at the head of {@code key}'s lane has finished: the lane's next one may start. */
    private void finished(String key) {
        boolean more;
        List<CompletableFuture<Void>> freed;
        synchronized (this) {
            Deque<?> lane = lanes.get(key);
            lane.poll();
            more = !lane.isEmpty();
            if (!more) {
                lanes.remove(key);
            }
            pending--;
            freed = pending < capacity && !waitingForRoom.isEmpty() ? List.of(waitingForRoom.poll()) : List.of();
        }
        freed.forEach(room -> room.complete(null));
        if (more) {
            schedule(key);
        }
    }

    /** Whether {@link #close} was called: no task starts any more. */
    boolean isClosing() {
        return closing;
    }

    /** Starts no other task and interrupts the running ones at once. */
    @Override
    public void close() {
        close(Duration.ZERO);
    }

    /**
     * Starts no other task (queued ones are dropped), gives the running ones up to {@code grace} to
     * finish, then interrupts those still running and waits a little for them to stop.
     *
     * @return whether every running task finished within {@code grace}
     */
    public boolean close(Duration grace) {
        closing = true;
        threads.shutdown();
        boolean finished = false;
        try {
            finished = threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                threads.shutdownNow();
                threads.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            threads.shutdownNow();
            Thread.currentThread().interrupt();
        }
        return finished;
    }
}
