package io.trunkline.bench;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends requests open-loop: request {@code i} is due at {@code start + i / rate}, whatever happened to the ones
 * before, and every latency is measured from that intended time (no coordinated omission: a stall of the system
 * or of this sender shows as latency, never as fewer requests). Sends are asynchronous
 * ({@link HttpClient#sendAsync}); one thread only waits for each due time.
 */
final class OpenLoopSender {

    /** One request: when it was due, how it was answered (status 0: no answer) and when. */
    record Sent(int index, long intendedMicros, int status, long answeredMicros) {
    }

    private final HttpClient client;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    OpenLoopSender() {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * Sends {@code count} requests at {@code rate} per second and waits for every answer.
     *
     * @param request the request to send as number {@code i}
     */
    List<Sent> run(int rate, int count, IntFunction<HttpRequest> request) {
        long intervalNanos = TimeUnit.SECONDS.toNanos(1) / rate;
        List<CompletableFuture<Sent>> answers = new ArrayList<>(count);
        long startNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long startMicros = Micros.now() + 50_000;
        for (int i = 0; i < count; i++) {
            HttpRequest next = request.apply(i);
            long due = startNanos + i * intervalNanos;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            int index = i;
            long intended = startMicros + i * intervalNanos / 1_000;
            answers.add(client.sendAsync(next, HttpResponse.BodyHandlers.discarding())
                    .handle((response, failure) -> new Sent(index, intended,
                            failure == null ? response.statusCode() : 0, Micros.now())));
        }
        return answers.stream().map(CompletableFuture::join).toList();
    }

    void close() {
        executor.shutdownNow();
    }
}
