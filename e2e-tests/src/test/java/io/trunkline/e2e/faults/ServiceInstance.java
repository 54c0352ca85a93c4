package io.trunkline.e2e.faults;

import io.trunkline.e2e.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * One instance of a service, kept on its port across restarts. Its log file collects every run of
 * the instance, each preceded by a line saying why it started.
 */
final class ServiceInstance {

    private static final Logger LOG = Logger.getLogger(ServiceInstance.class);

    private final Path root;
    private final String service;
    private final int ordinal;
    private final int port;
    private final Map<String, String> environment;
    private final Path log;
    private volatile ServiceProcess process;

    ServiceInstance(Path root, String service, int ordinal, int port, Map<String, String> environment, Path logDir) {
        this.root = root;
        this.service = service;
        this.ordinal = ordinal;
        this.port = port;
        this.environment = Map.copyOf(environment);
        this.log = logDir.resolve(service + "-" + ordinal + ".log");
    }

    String service() {
        return service;
    }

    /** e.g. {@code deploy-service#2 (:40123)}. */
    String label() {
        return service + "#" + ordinal + " (:" + port + ")";
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Path log() {
        return log;
    }

    boolean isRunning() {
        ServiceProcess current = process;
        return current != null && current.isAlive();
    }

    /** Starts the process (again) on the same port; does not wait for it to be ready. */
    synchronized void start(String why) {
        if (isRunning()) {
            throw new IllegalStateException(label() + " is already running");
        }
        appendToLog("==== trunkline fault suite, " + Instant.now() + ": starting " + label() + ": " + why);
        process = ServiceProcess.start(root, service, port, environment, log, true);
        LOG.infof("%s starting (%s), pid %d", label(), why, process.pid());
    }

    /** SIGKILL, as {@code kill -9}. */
    synchronized void kill() {
        ServiceProcess current = requireRunning();
        current.kill();
        appendToLog("==== trunkline fault suite, " + Instant.now() + ": " + label() + " killed (SIGKILL)");
        LOG.infof("%s killed with SIGKILL", label());
    }

    /** SIGKILL if the process still runs; for the suite's last resort, when the test JVM exits. */
    void killIfRunning() {
        ServiceProcess current = process;
        if (current != null && current.isAlive()) {
            current.kill();
        }
    }

    /**
     * SIGTERM, waiting for the graceful shutdown; SIGKILL when it has not stopped within {@code grace}.
     *
     * @return whether it stopped by itself within {@code grace}
     */
    synchronized boolean stop(Duration grace) {
        ServiceProcess current = requireRunning();
        Instant asked = Instant.now();
        boolean graceful = current.stop(grace);
        String outcome = graceful
                ? "stopped (SIGTERM) in " + Duration.between(asked, Instant.now()).toMillis() + " ms"
                : "still running " + grace.toSeconds() + " s after SIGTERM: killed";
        appendToLog("==== trunkline fault suite, " + Instant.now() + ": " + label() + " " + outcome);
        LOG.infof("%s %s", label(), outcome);
        return graceful;
    }

    void awaitReady(Duration timeout) {
        ServiceProcess current = process;
        if (current == null) {
            throw new IllegalStateException(label() + " was never started");
        }
        try {
            current.awaitReady(timeout);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(label() + ": " + e.getMessage() + "\n(full log: " + log + ")", e);
        }
    }

    private ServiceProcess requireRunning() {
        ServiceProcess current = process;
        if (current == null || !current.isAlive()) {
            throw new IllegalStateException(label() + " is not running");
        }
        return current;
    }

    private void appendToLog(String line) {
        try {
            Files.createDirectories(log.getParent());
            Files.writeString(log, line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
