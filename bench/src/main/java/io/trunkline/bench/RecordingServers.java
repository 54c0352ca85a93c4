package io.trunkline.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The light servers the system under test calls, in a process of their own (JDK {@code HttpServer}, no logic):
 * <ul>
 *   <li>the deploy target: {@code POST /deploy/{slug}/{commit}} (Trunkline's {@code http} targets) and
 *       {@code POST /floor/{id}} (the floor's last hop) answer 200 at once and are recorded with their
 *       receive time;</li>
 *   <li>Bitbucket Cloud's API ({@code TRUNKLINE_BITBUCKET_API_URL}): commit statuses
 *       ({@code POST /2.0/repositories/{ws}/{slug}/commit/{commit}/statuses/build}) are recorded with their
 *       state and answered 201; a commit, ref and pull-request lookups, comments, answered as Bitbucket
 *       answers them (empty pages, the commit asked for).</li>
 * </ul>
 * {@code GET /records?from=N} on either server returns its records from the N-th on, one a line:
 * {@code <epoch micros> <what> <fields...>}. Prints {@code READY target=<port> bitbucket=<port>}.
 */
public final class RecordingServers {

    private static final Pattern STATUS =
            Pattern.compile("/2\\.0/repositories/([^/]+)/([^/]+)/commit/([0-9a-f]+)/statuses/build");
    private static final Pattern COMMIT = Pattern.compile("/2\\.0/repositories/[^/]+/[^/]+/commit/([0-9a-f]{40})");
    private static final Pattern STATE = Pattern.compile("\"state\"\\s*:\\s*\"([A-Z]+)\"");

    private final List<String> targetRecords = new ArrayList<>();
    private final List<String> bitbucketRecords = new ArrayList<>();

    private RecordingServers() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        RecordingServers servers = new RecordingServers();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        HttpServer target = server(executor);
        target.createContext("/", servers::target);
        HttpServer bitbucket = server(executor);
        bitbucket.createContext("/", servers::bitbucket);
        target.start();
        bitbucket.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            target.stop(0);
            bitbucket.stop(0);
            stopped.countDown();
        }, "recording-servers-stop"));
        System.out.println("READY target=" + target.getAddress().getPort() + " bitbucket=" + bitbucket.getAddress().getPort());
        System.out.flush();
        stopped.await();
    }

    private static HttpServer server(ExecutorService executor) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        server.setExecutor(executor);
        return server;
    }

    private void target(HttpExchange exchange) throws IOException {
        long received = Micros.now();
        exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        if (records(exchange, targetRecords)) {
            return;
        }
        String[] parts = path.split("/");
        if ("POST".equals(exchange.getRequestMethod()) && parts.length == 4 && parts[1].equals("deploy")) {
            add(targetRecords, received + " deploy " + parts[2] + " " + parts[3]);
        } else if ("POST".equals(exchange.getRequestMethod()) && parts.length == 3 && parts[1].equals("floor")) {
            add(targetRecords, received + " floor " + parts[2]);
        } else {
            answer(exchange, 404, "");
            return;
        }
        answer(exchange, 200, "");
    }

    private void bitbucket(HttpExchange exchange) throws IOException {
        long received = Micros.now();
        byte[] body = exchange.getRequestBody().readAllBytes();
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (records(exchange, bitbucketRecords)) {
            return;
        }
        Matcher status = STATUS.matcher(path);
        if ("POST".equals(method) && status.matches()) {
            Matcher state = STATE.matcher(new String(body, StandardCharsets.UTF_8));
            add(bitbucketRecords, received + " status " + status.group(2) + " " + status.group(3) + " "
                    + (state.find() ? state.group(1) : "UNKNOWN"));
            answer(exchange, 201, "{}");
            return;
        }
        Matcher commit = COMMIT.matcher(path);
        if ("GET".equals(method) && commit.matches()) {
            answer(exchange, 200, "{\"hash\":\"" + commit.group(1) + "\",\"type\":\"commit\"}");
        } else if ("GET".equals(method) && (path.endsWith("/pullrequests") || path.endsWith("/refs/tags")
                || path.endsWith("/comments"))) {
            answer(exchange, 200, "{\"values\":[],\"pagelen\":50,\"size\":0,\"page\":1}");
        } else if (("POST".equals(method) || "PUT".equals(method)) && path.contains("/comments")) {
            answer(exchange, "POST".equals(method) ? 201 : 200, "{\"id\":1}");
        } else {
            answer(exchange, 404, "{\"type\":\"error\",\"error\":{\"message\":\"not found\"}}");
        }
    }

    /** {@code GET /records?from=N}: true when this was that request, answered. */
    private static boolean records(HttpExchange exchange, List<String> records) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod()) || !"/records".equals(exchange.getRequestURI().getPath())) {
            return false;
        }
        String query = exchange.getRequestURI().getQuery();
        int from = query != null && query.startsWith("from=") ? Integer.parseInt(query.substring(5)) : 0;
        StringBuilder out = new StringBuilder();
        synchronized (records) {
            for (int i = from; i < records.size(); i++) {
                out.append(records.get(i)).append('\n');
            }
        }
        answer(exchange, 200, out.toString());
        return true;
    }

    private static void add(List<String> records, String record) {
        synchronized (records) {
            records.add(record);
        }
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (!body.isEmpty()) {
            exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        }
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }
}
