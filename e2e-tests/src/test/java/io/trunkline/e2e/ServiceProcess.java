package io.trunkline.e2e;

import io.trunkline.infra.test.PackagedService;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One packaged service running as its own process, as in production: {@code java -jar quarkus-run.jar}
 * ({@link PackagedService}, the launcher the benchmark shares). Stopped politely ({@link #close()}, SIGTERM)
 * or killed ({@link #kill()}, SIGKILL).
 */
public final class ServiceProcess implements AutoCloseable {

    /** Quick to start; the end-to-end tests measure behaviour, not throughput. */
    private static final List<String> JAVA_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1");

    private final PackagedService service;

    private ServiceProcess(PackagedService service) {
        this.service = service;
    }

    /** Starts {@code name} with its output in {@code e2e-tests/target/e2e-logs/<name>.log}, replacing an older log. */
    static ServiceProcess start(Path root, String name, int port, Map<String, String> environment) {
        Path log = root.resolve("e2e-tests/target/e2e-logs").resolve(name + ".log");
        return start(root, name, port, environment, log, false);
    }

    /**
     * Starts the packaged service {@code name} of the project at {@code root}, listening on {@code port}.
     *
     * @param log    where its standard output and error go
     * @param append whether to add to {@code log} (a restart) rather than replace it
     */
    public static ServiceProcess start(Path root, String name, int port, Map<String, String> environment, Path log,
            boolean append) {
        return new ServiceProcess(PackagedService.start(root, name, port, JAVA_OPTIONS, environment, log, append));
    }

    public String name() {
        return service.name();
    }

    public int port() {
        return service.port();
    }

    public String baseUrl() {
        return service.baseUrl();
    }

    public boolean isAlive() {
        return service.isAlive();
    }

    public long pid() {
        return service.pid();
    }

    /** Waits for {@code /q/health/ready}; fails with the end of the service's log. */
    public void awaitReady(Duration timeout) {
        service.awaitReady(timeout);
    }

    /** Everything the service has logged so far. */
    public String log() {
        return service.log();
    }

    /** The last 40 lines of the log. */
    public String tail() {
        return service.tail();
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() {
        service.kill();
    }

    /**
     * SIGTERM, then waits for the graceful shutdown; SIGKILL when the process still runs after {@code grace}.
     *
     * @return whether it stopped by itself within {@code grace}
     */
    public boolean stop(Duration grace) {
        return service.stop(grace);
    }

    /** SIGTERM and waits for a graceful shutdown; SIGKILL after 15 s. */
    @Override
    public void close() {
        service.close();
    }
}
