package io.trunkline.bench;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.postgres.PostgresServer;
import io.trunkline.infra.test.PackagedService;
import io.trunkline.infra.test.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The whole system as {@code bin/trunkline up} starts it, on free ports and a state directory of its own: one JVM
 * with the Kafka broker and PostgreSQL ({@code LocalInfra}, durable or not), then the four packaged services with
 * the given JVM options and only environment variables; beside them the recording servers (deploy target and
 * Bitbucket) and the floor, each a process of its own.
 */
final class SystemUnderTest implements AutoCloseable {

    static final List<String> SERVICES = List.of("webhook-ingest", "promotion-service", "deploy-service", "status-reporter");
    static final String WORKSPACE = "bench";
    static final String TRUNK = "main";
    /** This JVM: the sender, the lag sampler, the records' reader. */
    static final String DRIVER = "benchmark driver";
    /** Every process on the machine, ours and others'. */
    static final String MACHINE = "whole machine";
    private static final List<String> SERVER_JAVA_OPTIONS = List.of("-Xmx512m", "-Xms64m", "-XX:+UseSerialGC",
            "-Djava.util.logging.manager=org.jboss.logmanager.LogManager");
    private static final List<String> RECORDER_JAVA_OPTIONS = List.of("-Xmx64m", "-XX:+UseSerialGC");

    private final BenchSettings settings;
    private final Path stateDir;
    /** Signs the webhooks; made for this run, never logged. */
    private final String webhookSecret;
    private final List<AutoCloseable> started = new ArrayList<>();
    private final Map<String, ProcessMeter> meters = new LinkedHashMap<>();
    private ChildJvm servers;
    private ChildJvm recorders;
    private ChildJvm floor;
    private final Map<String, PackagedService> services = new LinkedHashMap<>();
    private String postgresSettings;
    private DatabaseWork databaseWork;
    private final Thread stopOnExit = new Thread(this::stop, "bench-stop");
    private final java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    private double infraReadySeconds;
    private double servicesReadySeconds;

    private SystemUnderTest(BenchSettings settings) throws IOException {
        this.settings = settings;
        this.stateDir = Files.createTempDirectory("trunkline-bench");
        SecureRandom random = new SecureRandom();
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        this.webhookSecret = HexFormat.of().formatHex(secret);
    }

    static SystemUnderTest start(BenchSettings settings) {
        SystemUnderTest system;
        try {
            system = new SystemUnderTest(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // a benchmark stopped with Ctrl-C or SIGTERM stops what it started: child processes outlive their parent
        Runtime.getRuntime().addShutdownHook(system.stopOnExit);
        try {
            system.startAll();
            return system;
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
    }

    private void startAll() {
        Path root = settings.root();
        long infraFrom = System.nanoTime();
        List<String> databases = SERVICES.stream().map(name -> name.replace('-', '_')).toList();
        List<String> infraArgs = new ArrayList<>(List.of(stateDir.resolve("data").toString(),
                String.valueOf(FreePorts.pick()), String.valueOf(FreePorts.pick()), String.valueOf(FreePorts.pick())));
        infraArgs.addAll(databases);
        servers = track(ChildJvm.start(root, "kafka+postgres", SERVER_JAVA_OPTIONS, "io.trunkline.infra.local.LocalInfra",
                infraArgs, Map.of(PostgresServer.DURABLE_ENV, String.valueOf(settings.durablePostgres()),
                        PostgresServer.STATEMENT_STATS_ENV, "true"), Duration.ofSeconds(120)));
        infraReadySeconds = (System.nanoTime() - infraFrom) / 1e9;
        postgresSettings = "fsync=" + servers.ready("fsync") + ", synchronous_commit=" + servers.ready("synchronous_commit");
        String bootstrap = servers.ready("kafka");
        String postgresUrl = servers.ready("postgres");
        databaseWork = new DatabaseWork(postgresUrl, databases);
        recorders = track(ChildJvm.start(root, "recording-servers", RECORDER_JAVA_OPTIONS, RecordingServers.class.getName(),
                List.of(), Map.of(), Duration.ofSeconds(30)));
        floor = track(ChildJvm.start(root, "floor", settings.javaOptions(), Floor.class.getName(),
                List.of(bootstrap, targetUrl()), Map.of(), Duration.ofSeconds(90)));

        Path credentials = stateDir.resolve("secrets");
        try {
            Files.createDirectories(credentials);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        String secretsKey = Base64.getEncoder().encodeToString(key);
        String bitbucket = bitbucketUrl() + "/2.0";
        Map<String, Map<String, String>> own = Map.of(
                "webhook-ingest", Map.of("TRUNKLINE_WEBHOOK_SECRET", webhookSecret, "TRUNKLINE_SECRETS_KEY", secretsKey,
                        // every delivery comes from 127.0.0.1: the per-source limit (50/s) would answer 429
                        "TRUNKLINE_WEBHOOK_RATE_LIMIT_ENABLED", "false"),
                "promotion-service", Map.of("TRUNKLINE_SECRETS_KEY", secretsKey,
                        "TRUNKLINE_CREDENTIALS_FILE_DIR", credentials.toString(),
                        "TRUNKLINE_BITBUCKET_API_URL", bitbucket, "TRUNKLINE_BITBUCKET_TOKEN", "bench-bitbucket-token"),
                "deploy-service", Map.of("TRUNKLINE_CREDENTIALS_FILE_DIR", credentials.toString(),
                        "TRUNKLINE_TARGET_ALLOWED_HOSTS", "127.0.0.1",
                        "TRUNKLINE_BITBUCKET_API_URL", bitbucket, "TRUNKLINE_BITBUCKET_TOKEN", "bench-bitbucket-token"),
                "status-reporter", Map.of("TRUNKLINE_BITBUCKET_API_URL", bitbucket,
                        "TRUNKLINE_BITBUCKET_TOKEN", "bench-bitbucket-token"));
        long servicesFrom = System.nanoTime();
        Map<String, Integer> ports = new HashMap<>();
        SERVICES.forEach(name -> ports.put(name, FreePorts.pick()));
        for (String name : SERVICES) {
            Map<String, String> env = new HashMap<>(own.get(name));
            env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
            env.put("TRUNKLINE_DB_URL", postgresUrl + name.replace('-', '_'));
            env.put("TRUNKLINE_DB_USERNAME", PostgresServer.USER);
            env.put("TRUNKLINE_DB_PASSWORD", PostgresServer.PASSWORD);
            if (name.equals("promotion-service") || name.equals("status-reporter")) {
                env.putAll(TestTokens.localModeEnvironment());
            }
            if (name.equals("status-reporter")) {
                env.put("TRUNKLINE_DASHBOARD_URL", "http://127.0.0.1:" + ports.get(name));
            }
            if (name.equals("promotion-service")) {
                env.put("TRUNKLINE_DASHBOARD_URL", "http://127.0.0.1:" + ports.get("status-reporter"));
            }
            services.put(name, track(PackagedService.start(root, name, ports.get(name), settings.javaOptions(), env,
                    root.resolve("bench/target/bench-logs").resolve(name + ".log"))));
        }
        services.values().forEach(service -> service.awaitReady(Duration.ofSeconds(180)));
        servicesReadySeconds = (System.nanoTime() - servicesFrom) / 1e9;

        services.values().forEach(service -> meters.put(service.name(), ProcessMeter.of(service.name(), service.pid())));
        meters.put("kafka+postgres JVM", ProcessMeter.of("kafka+postgres JVM", servers.pid()));
        meters.put("postgres server", ProcessMeter.tree("postgres server", stateDir.resolve("data/postgres").toString()));
        meters.put("recording servers", ProcessMeter.of("recording servers", recorders.pid()));
        meters.put("floor", ProcessMeter.of("floor", floor.pid()));
        meters.put(DRIVER, ProcessMeter.of(DRIVER, ProcessHandle.current().pid()));
        meters.put(MACHINE, ProcessMeter.machine(MACHINE));
    }

    private <T extends AutoCloseable> T track(T process) {
        started.add(process);
        return process;
    }

    /** Configures {@code repositories} repositories: a push to {@code main} deploys to staging, calling the recording target. */
    void configureRepositories(int repositories) {
        HttpClient client = HttpClient.newHttpClient();
        String token = TestTokens.local("admin");
        for (int i = 0; i < repositories; i++) {
            String body = """
                    { "trunkBranch": "%s",
                      "environments": [
                        { "name": "staging", "trigger": "trunk", "concurrency": "queue",
                          "target": { "type": "http", "method": "POST", "url": "%s/deploy/{slug}/{commit}" } } ] }"""
                    .formatted(TRUNK, targetUrl());
            HttpRequest put = HttpRequest.newBuilder(URI.create(services.get("promotion-service").baseUrl()
                            + "/api/repositories/" + WORKSPACE + "/" + repository(i)))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString(body)).build();
            try {
                HttpResponse<String> response = client.send(put, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200 && response.statusCode() != 201) {
                    throw new IllegalStateException("configuring " + repository(i) + ": " + response.statusCode() + " " + response.body());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static String repository(int i) {
        return "repo-" + i;
    }

    String webhookUrl() {
        return services.get("webhook-ingest").baseUrl() + "/webhooks/bitbucket";
    }

    String webhookSecret() {
        return webhookSecret;
    }

    String floorUrl() {
        return "http://127.0.0.1:" + floor.ready("port") + "/in/";
    }

    String targetUrl() {
        return "http://127.0.0.1:" + recorders.ready("target");
    }

    String bitbucketUrl() {
        return "http://127.0.0.1:" + recorders.ready("bitbucket");
    }

    String bootstrapServers() {
        return servers.ready("kafka");
    }

    /** How long the start took: Kafka and PostgreSQL, then the four services started together until all were ready. */
    String startUp() {
        return String.format(java.util.Locale.ROOT, "Kafka and PostgreSQL ready in %.1f s, the four services in %.1f s more",
                infraReadySeconds, servicesReadySeconds);
    }

    /** e.g. "fsync=off, synchronous_commit=off", as the server itself reports them. */
    String postgresSettings() {
        return postgresSettings;
    }

    /** The services' databases' statements and transactions, as counters. */
    DatabaseWork databaseWork() {
        return databaseWork;
    }

    /** Every measured process by name: the services, the servers' JVM, PostgreSQL's processes, the recorders, the floor. */
    Map<String, ProcessMeter> meters() {
        return meters;
    }

    /** The services still running, or the name of one that stopped. */
    void checkAlive() {
        services.values().forEach(service -> {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " stopped during the run:\n" + service.tail());
            }
        });
    }

    private static void closeQuietly(AutoCloseable process) {
        try {
            process.close();
        } catch (Exception e) {
            // stop the rest regardless
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // already exiting: the hook does it
        }
        stop();
    }

    private void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        // the services first (together), then the recorders and the floor, the servers last
        List<Thread> stopping = services.values().stream().map(service -> new Thread(service::close, "stop-" + service.name())).toList();
        stopping.forEach(Thread::start);
        for (Thread thread : stopping) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable process : started) {
            if (!(process instanceof PackagedService) && process != servers) {
                closeQuietly(process);
            }
        }
        if (servers != null) {
            servers.close();
        }
        try (Stream<Path> paths = Files.walk(stateDir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is not worth failing the run for
        }
    }
}
