package io.trunkline.status.it;

import static org.awaitility.Awaitility.await;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged status-reporter ({@code target/quarkus-app/quarkus-run.jar}) running as its own process
 * against the real broker and database of {@link TestServers}, as in production. Stopped politely
 * ({@link #close()}) or killed ({@link #kill()}, SIGKILL: nothing is flushed or committed).
 */
final class StatusReporterProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Process process;
    private final Path log;

    private StatusReporterProcess(String name, int port, Process process, Path log) {
        this.name = name;
        this.port = port;
        this.process = process;
        this.log = log;
    }

    /** Starts an instance named {@code name} on database {@code database}, with {@code environment} added, and waits until it is ready. */
    static StatusReporterProcess start(String name, String database, Map<String, String> environment) {
        Path jar = Path.of(System.getProperty("trunkline.app.jar", "target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: these tests run after the package phase (./mvnw verify)");
        }
        TestServers servers = TestServers.get();
        int port = FreePorts.pick();
        Path log = Path.of(System.getProperty("trunkline.it.logs", "target/it-logs")).resolve(name + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            Map<String, String> env = new HashMap<>();
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            env.put("KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers());
            env.put("TRUNKLINE_DB_URL", servers.database(database));
            env.put("TRUNKLINE_DB_USERNAME", servers.postgresUser());
            env.put("TRUNKLINE_DB_PASSWORD", servers.postgresPassword());
            env.put("TRUNKLINE_DASHBOARD_URL", "http://127.0.0.1:" + port);
            env.putAll(TestTokens.localModeEnvironment()); // the API takes TestTokens.local(...) tokens
            env.putAll(environment);
            builder.environment().putAll(env);
            StatusReporterProcess started = new StatusReporterProcess(name, port, builder.start(), log);
            started.awaitReady(Duration.ofSeconds(90));
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    private void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class)
                    .until(() -> {
                        if (!process.isAlive()) {
                            throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
                        }
                        return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " not ready after " + timeout + ":\n" + tail(), e);
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL, as {@code kill -9}. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM and waits for a graceful shutdown; SIGKILL after 15 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
