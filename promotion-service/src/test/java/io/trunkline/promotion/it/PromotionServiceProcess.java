package io.trunkline.promotion.it;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.PackagedService;
import io.trunkline.infra.test.TestServers;
import io.trunkline.infra.test.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packaged promotion-service ({@code target/quarkus-app/quarkus-run.jar}) running as its own process
 * against the real broker and database of {@link TestServers}, as in production ({@link PackagedService}).
 * Stopped politely ({@link #close()}) or killed ({@link #kill()}, SIGKILL: nothing is flushed or committed).
 */
final class PromotionServiceProcess implements AutoCloseable {

    private final PackagedService service;

    private PromotionServiceProcess(PackagedService service) {
        this.service = service;
    }

    /**
     * Starts an instance named {@code name} on database {@code database}, with configuration {@code properties}
     * added as system properties (channel names with dashes have no environment variable form), and waits
     * until it is ready.
     */
    static PromotionServiceProcess start(String name, String database, Map<String, String> properties) {
        // the module's directory: its name is the service's, its parent the project's root
        Path module = Path.of(System.getProperty("trunkline.app.jar", "target/quarkus-app/quarkus-run.jar"))
                .toAbsolutePath().getParent().getParent().getParent();
        Path log = Path.of(System.getProperty("trunkline.it.logs", "target/it-logs")).resolve(name + ".log");
        TestServers servers = TestServers.get();
        List<String> javaOptions = new ArrayList<>(PackagedService.LOCAL_STACK_JAVA_OPTIONS);
        properties.forEach((property, value) -> javaOptions.add("-D" + property + "=" + value));
        Map<String, String> env = new HashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers());
        env.put("TRUNKLINE_DB_URL", servers.database(database));
        env.put("TRUNKLINE_DB_USERNAME", servers.postgresUser());
        env.put("TRUNKLINE_DB_PASSWORD", servers.postgresPassword());
        env.putAll(TestTokens.localModeEnvironment()); // tokens: TestTokens.local(...)
        PackagedService service = PackagedService.start(module.getParent(), module.getFileName().toString(),
                FreePorts.pick(), javaOptions, env, log, true);
        try {
            service.awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
        return new PromotionServiceProcess(service);
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
