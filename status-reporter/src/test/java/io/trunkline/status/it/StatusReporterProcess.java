package io.trunkline.status.it;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.PackagedService;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * The packaged status-reporter ({@code target/quarkus-app/quarkus-run.jar}) running as its own process
 * against the real broker and database of {@link TestServers}, as in production ({@link PackagedService}).
 * Stopped politely ({@link #close()}) or killed ({@link #kill()}, SIGKILL: nothing is flushed or committed).
 */
final class StatusReporterProcess implements AutoCloseable {

    private final PackagedService service;

    private StatusReporterProcess(PackagedService service) {
        this.service = service;
    }

    /** Starts an instance named {@code name} on database {@code database}, with {@code environment} added, and waits until it is ready. */
    static StatusReporterProcess start(String name, String database, Map<String, String> environment) {
        // the module's directory: its name is the service's, its parent the project's root
        Path module = Path.of(System.getProperty("trunkline.app.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().getParent().getParent().getParent();
        Path log = Path.of(System.getProperty("trunkline.it.logs", "target/it-logs")).resolve(name + ".log");
        TestServers servers = TestServers.get();
        int port = FreePorts.pick();
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers());
        env.put("TRUNKLINE_DB_URL", servers.database(database));
        env.put("TRUNKLINE_DB_USERNAME", servers.postgresUser());
        env.put("TRUNKLINE_DB_PASSWORD", servers.postgresPassword());
        env.put("TRUNKLINE_DASHBOARD_URL", "http://127.0.0.1:" + port);
        env.putAll(TestTokens.localModeEnvironment()); // the API takes TestTokens.local(...) tokens
        env.putAll(environment);
        PackagedService service = PackagedService.start(module.getParent(), module.getFileName().toString(), port,
                PackagedService.LOCAL_STACK_JAVA_OPTIONS, env, log, true);
        try {
            service.awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return new StatusReporterProcess(service);
    }

    String baseUrl() {
        return service.baseUrl();
    }

    String tail() {
        return service.tail();
    }

    /** SIGKILL, as {@code kill -9}. */
    void kill() {
        service.kill();
    }

    /** SIGTERM and waits for a graceful shutdown; SIGKILL after 15 s. */
    @Override
    public void close() {
        service.close();
    }
}
