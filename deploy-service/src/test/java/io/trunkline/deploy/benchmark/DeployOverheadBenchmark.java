package io.trunkline.deploy.benchmark;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentRequested;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.TargetSpec;
import io.trunkline.events.Topics;
import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.TestServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The overhead deploy-service adds: from a deployment request's arrival to the call of its target,
 * with a target (WireMock) that answers at once, at a fixed rate spread over many environments. The
 * packaged service runs as a process ({@code -Xmx256m}) on the in-process broker and PostgreSQL of
 * {@link TestServers}, all on the machine's cores together with this JVM, which produces the requests
 * the way promotion-service does (CloudEvents keyed by repository and environment). Two figures:
 * <ul>
 *   <li>inside deploy-service, the {@code trunkline_deploy_start_delay} timer (request received from
 *       Kafka to target call begins: the claim transaction with its outbox row, the lane), read from
 *       its {@code /q/metrics} histogram for the measured requests only;</li>
 *   <li>from outside, request produced to target called (WireMock's log), which adds the Kafka hop.</li>
 * </ul>
 * Not part of {@code ./mvnw verify} (the class name matches no test pattern); run it with
 * <pre>
 * ./mvnw -B package -DskipTests -pl deploy-service
 * ./mvnw -B test -pl deploy-service -Dtest=DeployOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Properties: {@code benchmark.rate} (200 requests/s), {@code benchmark.environments} (50),
 * {@code benchmark.seconds} (30, after {@code benchmark.warmup} 15), {@code benchmark.javaOpts}
 * ({@code -Xmx256m -XX:+UseSerialGC}). It logs a report and writes it to
 * {@code deploy-service/target/benchmark/report.md}; it asserts only that every request reached the
 * target, never a figure.
 */
class DeployOverheadBenchmark {

    private static final Logger LOG = Logger.getLogger(DeployOverheadBenchmark.class);
    private static final int RATE = Integer.getInteger("benchmark.rate", 200);
    private static final int ENVIRONMENTS = Integer.getInteger("benchmark.environments", 50);
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 30);
    private static final int WARMUP_SECONDS = Integer.getInteger("benchmark.warmup", 15);
    private static final String JAVA_OPTS = System.getProperty("benchmark.javaOpts", "-Xmx256m -XX:+UseSerialGC");
    private static final String TIMER = "trunkline_deploy_start_delay_seconds";
    private static final Path DIR = Path.of("target/benchmark");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void overheadFromRequestToTargetCall() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged service (./mvnw -B package -DskipTests -pl deploy-service)").exists();
        Files.createDirectories(DIR);
        TestServers servers = TestServers.get();
        WireMockServer target = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .containerThreads(64));
        target.start();
        target.stubFor(post(urlPathMatching("/bench/.*")).willReturn(aResponse().withStatus(200)));
        int port = FreePorts.pick();
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(List.of(JAVA_OPTS.split(" ")));
        command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(DIR.resolve("deploy-service.log").toFile());
        builder.environment().putAll(Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(port),
                "KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers(),
                "TRUNKLINE_DB_URL", servers.database("deploy_service_bench_" + UUID.randomUUID().toString()
                        .substring(0, 8)),
                "TRUNKLINE_DB_USERNAME", servers.postgresUser(),
                "TRUNKLINE_DB_PASSWORD", servers.postgresPassword(),
                "TRUNKLINE_TARGET_ALLOWED_HOSTS", "127.0.0.1",
                "QUARKUS_LOG_CATEGORY__IO_TRUNKLINE__LEVEL", "WARN"));
        Process service = builder.start();
        String report;
        try (KafkaProducer<String, String> producer = producer(servers.bootstrapServers())) {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(500)).until(() ->
                    status("http://127.0.0.1:" + port + "/q/health/ready") == 200);
            String base = "http://127.0.0.1:" + target.port() + "/bench/";
            send(producer, base, WARMUP_SECONDS, new ConcurrentHashMap<>());
            await().atMost(Duration.ofMinutes(2)).until(() -> target.getAllServeEvents().size()
                    >= RATE * WARMUP_SECONDS);
            Map<Double, Double> before = histogram(port);
            target.resetRequests();
            Map<String, Instant> produced = new ConcurrentHashMap<>();
            long cpuBefore = service.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(0L);
            send(producer, base, SECONDS, produced);
            await().atMost(Duration.ofMinutes(2)).until(() -> target.getAllServeEvents().size() >= produced.size());
            long cpu = service.toHandle().info().totalCpuDuration().map(Duration::toMillis).orElse(0L) - cpuBefore;
            Map<Double, Double> after = histogram(port);
            List<Long> external = new ArrayList<>();
            for (LoggedRequest call : target.findAll(postRequestedFor(urlPathMatching("/bench/.*")))) {
                Instant sent = produced.get(call.getUrl().substring("/bench/".length()));
                if (sent != null) {
                    external.add(Duration.between(sent, call.getLoggedDate().toInstant()).toMillis());
                }
            }
            assertThat(external).as("every measured request reached the target").hasSize(produced.size());
            report = report(produced.size(), difference(after, before), external, cpu);
        } finally {
            service.destroy();
            service.waitFor(20, TimeUnit.SECONDS);
            target.stop();
        }
        Files.writeString(DIR.resolve("report.md"), report);
        LOG.info("\n" + report);
    }

    /** Produces {@code RATE} requests a second for {@code seconds}, round-robin over the environments. */
    private static void send(KafkaProducer<String, String> producer, String base, int seconds,
            Map<String, Instant> produced) throws InterruptedException {
        RepositoryRef repository = new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, "bench", "app-"
                + UUID.randomUUID().toString().substring(0, 8));
        TargetSpec target = TargetSpec.http("POST", base + "{deploymentId}", null);
        int total = RATE * seconds;
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(total);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        long periodNanos = 1_000_000_000L / RATE;
        ticks.scheduleAtFixedRate(() -> {
            int n = sent.getAndIncrement();
            if (n >= total) {
                return;
            }
            DeploymentRequested request = new DeploymentRequested(UUID.randomUUID(), Instant.now(), UUID.randomUUID(),
                    repository, "env-" + (n % ENVIRONMENTS), DeploymentOperation.DEPLOY,
                    "9c4f1d2b7a6e5f8091a2b3c4d5e6f708192a3b4c", "main", null, null, target, null);
            produced.put(request.deploymentId().toString(), Instant.now());
            producer.send(CloudEventHeaders.record(Topics.DEPLOY_REQUESTS, request, "benchmark"));
            done.countDown();
        }, 0, periodNanos, TimeUnit.NANOSECONDS);
        done.await();
        ticks.shutdown();
        producer.flush();
    }

    private static KafkaProducer<String, String> producer(String bootstrapServers) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "0");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(properties);
    }

    private int status(String url) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }

    /** The start-delay histogram: upper bound in seconds to cumulative count. */
    private Map<Double, Double> histogram(int port) throws IOException, InterruptedException {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<Double, Double> buckets = new TreeMap<>();
        for (String line : metrics.lines().toList()) {
            if (line.startsWith(TIMER + "_bucket{")) {
                String le = line.substring(line.indexOf("le=\"") + 4, line.indexOf('"', line.indexOf("le=\"") + 4));
                buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                        Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
            }
        }
        return buckets;
    }

    private static Map<Double, Double> difference(Map<Double, Double> after, Map<Double, Double> before) {
        Map<Double, Double> difference = new TreeMap<>();
        after.forEach((le, count) -> difference.put(le, count - before.getOrDefault(le, 0.0)));
        return difference;
    }

    /** The smallest bucket bound holding {@code quantile} of the requests, in milliseconds. */
    private static double quantile(Map<Double, Double> cumulative, double quantile) {
        double total = cumulative.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        for (Map.Entry<Double, Double> bucket : cumulative.entrySet()) {
            if (bucket.getValue() >= quantile * total) {
                return bucket.getKey() * 1000;
            }
        }
        return Double.NaN;
    }

    private static double percentile(List<Long> sorted, double quantile) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1));
    }

    private static String report(int requests, Map<Double, Double> inside, List<Long> outside, long cpuMillis)
            throws IOException {
        List<Long> sorted = new ArrayList<>(outside);
        sorted.sort(null);
        return String.format(Locale.ROOT, """
                        %d requests at %d/s over %d environments, %d s (after %d s of warm-up)

                        | measured | p50 | p95 | p99 | max |
                        | --- | --- | --- | --- | --- |
                        | inside deploy-service: request received → target call begins (histogram bucket bound) \
                        | ≤ %.1f ms | ≤ %.1f ms | ≤ %.1f ms | |
                        | from outside: request produced → target called (WireMock's log, ms) | %.0f ms | %.0f ms \
                        | %.0f ms | %d ms |

                        deploy-service CPU: %.2f ms per request; machine load average: %s
                        """, requests, RATE, ENVIRONMENTS, SECONDS, WARMUP_SECONDS, quantile(inside, 0.5),
                quantile(inside, 0.95), quantile(inside, 0.99), percentile(sorted, 0.5), percentile(sorted, 0.95),
                percentile(sorted, 0.99), sorted.get(sorted.size() - 1), (double) cpuMillis / requests,
                Files.readString(Path.of("/proc/loadavg")).trim());
    }
}
