package io.trunkline.e2e.faults;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The deploy target: records every call with the time it arrived. {@code /deploy/{commit}} answers
 * 200, or 500 while {@link #answerServerErrorsFor} is in force; {@code /hang/{commit}} holds the call
 * open far beyond deploy-service's attempt timeout, a target whose outcome the caller cannot know.
 */
final class DeployTarget implements AutoCloseable {

    static final String DEPLOY_PATH = "/deploy/";
    static final String HANG_PATH = "/hang/";

    /** What the target did with one call. */
    enum Answer {
        /** 200: deployed. */
        DEPLOYED,
        /** 500 during a server-error window: nothing deployed. */
        SERVER_ERROR,
        /** Held open: whether it deployed is unknown to the caller. */
        HELD
    }

    record Call(Instant at, String method, String path, String commit, Answer answer) {
    }

    private final Map<String, List<Call>> callsByCommit = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final Duration holdFor;
    private final StubHttpServer server;
    private volatile Instant serverErrorsUntil = Instant.MIN;

    private DeployTarget(Duration holdFor) {
        this.holdFor = holdFor;
        this.server = StubHttpServer.start("deploy-target", (exchange, body) -> answer(exchange));
    }

    static DeployTarget start(Duration holdFor) {
        return new DeployTarget(holdFor);
    }

    String baseUrl() {
        return server.baseUrl();
    }

    /** From now on, for {@code period}, every {@code /deploy/} call is answered 500. */
    void answerServerErrorsFor(Duration period) {
        serverErrorsUntil = Instant.now().plus(period);
    }

    /** Ends a server-error window early (the suite restoring a healthy target before a scenario). */
    void recover() {
        serverErrorsUntil = Instant.MIN;
    }

    List<Call> callsFor(String commit) {
        List<Call> calls = callsByCommit.get(commit);
        if (calls == null) {
            return List.of();
        }
        synchronized (calls) {
            return List.copyOf(calls);
        }
    }

    int callCount(Collection<String> commits) {
        return commits.stream().mapToInt(commit -> callsFor(commit).size()).sum();
    }

    private void answer(HttpExchange exchange) throws IOException {
        Instant now = Instant.now();
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String commit = path.substring(path.lastIndexOf('/') + 1);
        if (path.startsWith(HANG_PATH)) {
            record(new Call(now, method, path, commit, Answer.HELD));
            try {
                released.await(holdFor.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            respond(exchange, 200, "{\"deployed\":\"" + commit + "\"}");
        } else if (now.isBefore(serverErrorsUntil)) {
            record(new Call(now, method, path, commit, Answer.SERVER_ERROR));
            respond(exchange, 500, "{\"error\":\"deployment backend unavailable\"}");
        } else {
            record(new Call(now, method, path, commit, Answer.DEPLOYED));
            respond(exchange, 200, "{\"deployed\":\"" + commit + "\"}");
        }
    }

    private void record(Call call) {
        List<Call> calls = callsByCommit.computeIfAbsent(call.commit(), commit -> new ArrayList<>());
        synchronized (calls) {
            calls.add(call);
        }
    }

    @Override
    public void close() {
        released.countDown();
        server.close();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        StubHttpServer.respond(exchange, status, Map.of("Content-Type", "application/json"), body);
    }
}
