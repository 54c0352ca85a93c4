package io.trunkline.e2e.faults;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JDK HTTP server on 127.0.0.1, a thread per call so that one call held open delays no other.
 * The stubs of the fault suite record each call themselves.
 */
final class StubHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final ExecutorService executor;

    private StubHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Answers one call whose body has been read. */
    @FunctionalInterface
    interface CallHandler {
        void handle(HttpExchange exchange, byte[] body) throws IOException;
    }

    static StubHttpServer start(String name, CallHandler handler) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, name + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            server.createContext("/", exchange -> {
                try (exchange) {
                    handler.handle(exchange, exchange.getRequestBody().readAllBytes());
                } catch (IOException e) {
                    // the caller gave up (a timeout, or it was killed): its call is recorded all the same
                }
            });
            server.setExecutor(executor);
            server.start();
            return new StubHttpServer(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the " + name + " stub", e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    static void respond(HttpExchange exchange, int status, Map<String, String> headers, String body) throws IOException {
        headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
