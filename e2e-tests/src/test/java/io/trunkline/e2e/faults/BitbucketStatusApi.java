package io.trunkline.e2e.faults;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Bitbucket Cloud's commit status endpoint ({@code POST /2.0/repositories/{ws}/{slug}/commit/{commit}/statuses/build}):
 * records every post with its time and answer, 201 normally, 429 with {@code Retry-After} while
 * {@link #throttleFor} is in force.
 */
final class BitbucketStatusApi implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(BitbucketStatusApi.class);
    private static final Pattern STATUS_PATH =
            Pattern.compile("/2\\.0/repositories/([^/]+)/([^/]+)/commit/([0-9a-f]+)/statuses/build");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One commit status as posted; {@code answered} is what the stub replied (201 stored, 429 throttled). */
    record PostedStatus(Instant at, String repository, String commit, String key, String state, String description,
            int answered) {

        boolean stored() {
            return answered / 100 == 2;
        }
    }

    private final Map<String, List<PostedStatus>> statusesByCommit = new ConcurrentHashMap<>();
    private final AtomicInteger unexpectedCalls = new AtomicInteger();
    private final StubHttpServer server;
    private volatile Instant throttledUntil = Instant.MIN;

    private BitbucketStatusApi() {
        this.server = StubHttpServer.start("bitbucket", this::answer);
    }

    static BitbucketStatusApi start() {
        return new BitbucketStatusApi();
    }

    /** The base URL status-reporter is given as {@code TRUNKLINE_BITBUCKET_API_URL}. */
    String apiUrl() {
        return server.baseUrl() + "/2.0";
    }

    /** From now on, for {@code period}, every status post is answered 429 with {@code Retry-After: 1}. */
    void throttleFor(Duration period) {
        throttledUntil = Instant.now().plus(period);
    }

    void recover() {
        throttledUntil = Instant.MIN;
    }

    /** Every post for {@code commit}, throttled ones included, in the order they arrived. */
    List<PostedStatus> postsFor(String commit) {
        List<PostedStatus> posts = statusesByCommit.get(commit);
        if (posts == null) {
            return List.of();
        }
        synchronized (posts) {
            return List.copyOf(posts);
        }
    }

    /** The statuses Bitbucket stored for {@code commit} (answered 2xx), in the order they arrived. */
    List<PostedStatus> storedFor(String commit) {
        return postsFor(commit).stream().filter(PostedStatus::stored).toList();
    }

    /** Status posts answered 429 so far, all commits together. */
    int throttledCount() {
        return statusesByCommit.values().stream().mapToInt(posts -> {
            synchronized (posts) {
                return (int) posts.stream().filter(post -> post.answered() == 429).count();
            }
        }).sum();
    }

    int unexpectedCalls() {
        return unexpectedCalls.get();
    }

    private void answer(HttpExchange exchange, byte[] body) throws IOException {
        Instant now = Instant.now();
        Matcher path = STATUS_PATH.matcher(exchange.getRequestURI().getPath());
        if (!"POST".equals(exchange.getRequestMethod()) || !path.matches()) {
            unexpectedCalls.incrementAndGet();
            LOG.warnf("Bitbucket stub: unexpected %s %s", exchange.getRequestMethod(), exchange.getRequestURI());
            StubHttpServer.respond(exchange, 404, Map.of("Content-Type", "application/json"),
                    "{\"type\":\"error\",\"error\":{\"message\":\"not stubbed\"}}");
            return;
        }
        JsonNode status = JSON.readTree(body);
        boolean throttled = now.isBefore(throttledUntil);
        int answered = throttled ? 429 : 201;
        record(new PostedStatus(now, path.group(1) + "/" + path.group(2), path.group(3), status.path("key").asText(),
                status.path("state").asText(), status.path("description").asText(), answered));
        if (throttled) {
            StubHttpServer.respond(exchange, 429, Map.of("Content-Type", "application/json", "Retry-After", "1"),
                    "{\"type\":\"error\",\"error\":{\"message\":\"Rate limit for this resource has been exceeded\"}}");
        } else {
            StubHttpServer.respond(exchange, 201, Map.of("Content-Type", "application/json"), "{}");
        }
    }

    private void record(PostedStatus status) {
        List<PostedStatus> posts = statusesByCommit.computeIfAbsent(status.commit(), commit -> new ArrayList<>());
        synchronized (posts) {
            posts.add(status);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
