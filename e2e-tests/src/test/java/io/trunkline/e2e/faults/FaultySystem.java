package io.trunkline.e2e.faults;

import static org.awaitility.Awaitility.await;

import io.trunkline.infra.postgres.PostgresServer;
import io.trunkline.infra.test.TestTokens;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The system the fault suite breaks: the four packaged services as processes, on a Kafka broker and
 * a PostgreSQL that the suite owns and restarts, with a {@link DeployTarget} and a
 * {@link BitbucketStatusApi} that record every call. The services get short leases, timeouts and
 * back-offs so that each fault plays out in seconds.
 */
final class FaultySystem implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(FaultySystem.class);
    static final String WEBHOOK_SECRET = "fault-suite-webhook-secret-0123456789";
    static final String BITBUCKET_TOKEN = "fault-suite-bitbucket-token";

    /**
     * The settings the issue gives for the suite, so that faults play out in seconds rather than
     * minutes; besides them, deploy-service's back-off and per-host circuit breaker wait at most 5 s
     * (instead of 30 s) before trying a recovered target again, and Kafka consumer sessions last
     * 10 s instead of 45 s, so that the partitions of a killed instance go to the others (or to its
     * restart) within seconds.
     */
    private static final Map<String, String> SHORT_SETTINGS = Map.ofEntries(
            Map.entry("TRUNKLINE_DEPLOY_LEASE_TTL", "4s"),
            Map.entry("TRUNKLINE_DEPLOY_LEASE_RENEW_INTERVAL", "1s"),
            Map.entry("TRUNKLINE_DEPLOY_RECOVERY_INTERVAL", "1s"),
            Map.entry("TRUNKLINE_DEPLOY_ATTEMPT_TIMEOUT", "3s"),
            Map.entry("TRUNKLINE_DEPLOY_RETRY_FOR", "2m"),
            Map.entry("TRUNKLINE_DEPLOY_MAX_BACKOFF", "5s"),
            Map.entry("TRUNKLINE_DEPLOY_CIRCUIT_BREAKER_DELAY", "5s"),
            Map.entry("TRUNKLINE_PROMOTION_RUN_DEADLINE", "2m"),
            Map.entry("TRUNKLINE_CONSUMER_MAX_BACKOFF", "2s"),
            // a killed status-reporter's claimed Bitbucket updates go to the others within seconds
            Map.entry("TRUNKLINE_DELIVERY_CLAIM_TIMEOUT", "5s"),
            Map.entry("TRUNKLINE_TARGET_ALLOWED_HOSTS", "127.0.0.1"),
            // Quarkus passes KAFKA_* variables to every Kafka client of the service
            Map.entry("KAFKA_SESSION_TIMEOUT_MS", "10000"),
            Map.entry("KAFKA_HEARTBEAT_INTERVAL_MS", "3000"));

    private final Path dataDir;
    private final RestartableBroker broker;
    private final RestartablePostgres postgres;
    private final DeployTarget target;
    private final BitbucketStatusApi bitbucket;
    private final ServiceFleet services;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private FaultySystem(Path root, Path dataDir, FaultSuiteSettings settings) {
        this.dataDir = dataDir;
        this.target = DeployTarget.start(settings.targetHold());
        this.bitbucket = BitbucketStatusApi.start();
        this.broker = RestartableBroker.start(dataDir.resolve("kafka"));
        this.postgres = RestartablePostgres.start(dataDir.resolve("postgres"));
        this.services = new ServiceFleet(root, root.resolve("e2e-tests/target/fault-logs"), this::environment);
    }

    static FaultySystem start(Path root, FaultSuiteSettings settings) throws IOException {
        deleteRecursively(root.resolve("e2e-tests/target/fault-logs"));
        FaultySystem system = new FaultySystem(root, Files.createTempDirectory("trunkline-faults"), settings);
        try {
            ServiceFleet.SERVICES.forEach(system.services::addInstance);
            system.services.awaitRunningReady();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    RestartableBroker broker() {
        return broker;
    }

    RestartablePostgres postgres() {
        return postgres;
    }

    DeployTarget target() {
        return target;
    }

    BitbucketStatusApi bitbucket() {
        return bitbucket;
    }

    ServiceFleet services() {
        return services;
    }

    /**
     * Undoes what an earlier scenario may have left broken: broker and database running, target and
     * Bitbucket answering normally, at least one instance of each service running, every running one ready.
     */
    void restore() {
        broker.start();
        postgres.start();
        target.recover();
        bitbucket.recover();
        services.restartWhereNoneRuns("restored before the next scenario");
        services.awaitRunningReady();
    }

    /**
     * Configures the push's repository through promotion-service: trunk {@code master} deploys to
     * {@code staging}, a non-idempotent http target on the {@link DeployTarget}.
     */
    void configure(Push push) {
        String body = """
                { "trunkBranch": "master",
                  "environments": [
                    { "name": "staging", "trigger": "trunk",
                      "target": { "type": "http", "method": "POST", "url": "%s%s", "idempotent": false } } ] }"""
                .formatted(target.baseUrl(), push.targetPath());
        String url = services.runningInstance("promotion-service").baseUrl() + "/api/repositories/" + push.repository();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.local("admin"))
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
        await("configuration of " + push.repository()).atMost(Duration.ofSeconds(30))
                .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() / 100 == 4) {
                        throw new IllegalStateException("promotion-service refused the configuration of "
                                + push.repository() + ": " + response.statusCode() + " " + response.body());
                    }
                    return response.statusCode() == 200 || response.statusCode() == 201;
                });
    }

    private Map<String, String> environment(String service) {
        Map<String, String> env = new HashMap<>(SHORT_SETTINGS);
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("TRUNKLINE_DB_URL", postgres.jdbcUrl(service));
        env.put("TRUNKLINE_DB_USERNAME", PostgresServer.USER);
        env.put("TRUNKLINE_DB_PASSWORD", PostgresServer.PASSWORD);
        env.put("TRUNKLINE_WEBHOOK_SECRET", WEBHOOK_SECRET);
        env.put("TRUNKLINE_BITBUCKET_API_URL", bitbucket.apiUrl());
        env.put("TRUNKLINE_BITBUCKET_TOKEN", BITBUCKET_TOKEN);
        if (service.equals("promotion-service") || service.equals("status-reporter")) {
            env.putAll(TestTokens.localModeEnvironment()); // their APIs take TestTokens.local(...) tokens
        }
        return env;
    }

    /** Every log line of every instance that mentions one of the secrets the services were given. */
    List<String> secretsInLogs() throws IOException {
        List<String> leaks = new ArrayList<>();
        for (ServiceInstance instance : services.all()) {
            if (Files.exists(instance.log())) {
                try (Stream<String> lines = Files.lines(instance.log())) {
                    lines.filter(line -> line.contains(WEBHOOK_SECRET) || line.contains(BITBUCKET_TOKEN))
                            .forEach(line -> leaks.add(instance.label() + ": " + line));
                }
            }
        }
        return leaks;
    }

    @Override
    public void close() {
        closeQuietly("services", services);
        closeQuietly("Kafka broker", broker);
        closeQuietly("PostgreSQL", postgres);
        closeQuietly("deploy target", target);
        closeQuietly("Bitbucket stub", bitbucket);
        deleteRecursively(dataDir);
    }

    private static void closeQuietly(String what, AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            LOG.warnf(e, "Stopping the %s failed", what);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("Could not delete %s: %s", dir, e.getMessage());
        }
    }
}
