package io.trunkline.ingest.benchmark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.test.TestServers;
import io.trunkline.ingest.service.WebhookSignature;
import io.trunkline.ingest.support.Deliveries;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * Throughput and latency of webhook-ingest, packaged and run as a process, against a real broker
 * ({@code acks=all}) and PostgreSQL, next to the bare limit on the same machine: a JDK
 * {@code HttpServer} that only publishes the raw body with the same producer settings
 * ({@link BareKafkaEndpoint}). The load comes from {@code wrk} (a C program, so the generator does not
 * compete as a JVM for the CPU being measured) with {@code deliveries.lua}: signed fixture pushes,
 * each a new change of its ref and so published. Closed loop for the maximum, open loop at fixed
 * rates for latency. Not part of {@code ./mvnw verify} (the class name matches no test pattern);
 * run it with
 * <pre>
 * apt-get install wrk
 * ./mvnw -B package -DskipTests -pl webhook-ingest
 * ./mvnw -B test -pl webhook-ingest -Dtest=WebhookIngestBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 * Properties: {@code benchmark.rates} (100,250,500 deliveries/s), {@code benchmark.seconds} (30 per
 * run), {@code benchmark.connections} (32, closed loop), {@code benchmark.javaOpts}
 * ({@code -Xmx96m -XX:+UseSerialGC}, both processes). It logs a report and writes it to
 * {@code webhook-ingest/target/benchmark/report.md}; it asserts only that every request was answered
 * 2xx, never a figure.
 */
class WebhookIngestBenchmark {

    private static final Logger LOG = Logger.getLogger(WebhookIngestBenchmark.class);
    private static final List<Integer> RATES = Arrays.stream(System.getProperty("benchmark.rates", "100,250,500")
            .split(",")).map(String::trim).map(Integer::parseInt).toList();
    private static final int SECONDS = Integer.getInteger("benchmark.seconds", 30);
    private static final int CONNECTIONS = Integer.getInteger("benchmark.connections", 32);
    private static final String JAVA_OPTS = System.getProperty("benchmark.javaOpts", "-Xmx96m -XX:+UseSerialGC");
    private static final String SECRET = "benchmark-webhook-secret";
    private static final int REFS = 400;
    private static final Path DIR = Path.of("target/benchmark");

    @Test
    void webhookIngestNextToTheBareLimit() throws Exception {
        assertThat(Path.of("/usr/bin/wrk")).as("wrk (apt-get install wrk)").exists();
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        assertThat(jar).as("the packaged service (./mvnw -B package -DskipTests -pl webhook-ingest)").exists();
        Files.createDirectories(DIR);
        TestServers servers = TestServers.get();
        Path script = DIR.resolve("deliveries.lua");
        try (InputStream lua = WebhookIngestBenchmark.class.getResourceAsStream("/benchmark/deliveries.lua")) {
            Files.write(script, lua.readAllBytes());
        }

        int ingestPort = FreePorts.pick();
        int barePort = FreePorts.pick();
        List<String> ingestCommand = new ArrayList<>(List.of("java"));
        ingestCommand.addAll(List.of(JAVA_OPTS.split(" ")));
        ingestCommand.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
        Map<String, String> ingestEnvironment = Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(ingestPort),
                "KAFKA_BOOTSTRAP_SERVERS", servers.bootstrapServers(),
                "TRUNKLINE_DB_URL", servers.database("webhook_ingest"),
                "TRUNKLINE_DB_USERNAME", servers.postgresUser(),
                "TRUNKLINE_DB_PASSWORD", servers.postgresPassword(),
                "TRUNKLINE_WEBHOOK_SECRET", SECRET,
                // every delivery comes from 127.0.0.1: the per-source limit would measure its own 429s
                "TRUNKLINE_WEBHOOK_RATE_LIMIT_RATE", "1000000",
                "TRUNKLINE_WEBHOOK_RATE_LIMIT_BURST", "1000000");
        List<String> bareCommand = new ArrayList<>(List.of("java"));
        bareCommand.addAll(List.of(JAVA_OPTS.split(" ")));
        bareCommand.addAll(List.of("-cp", System.getProperty("java.class.path"), BareKafkaEndpoint.class.getName(),
                String.valueOf(barePort), servers.bootstrapServers(), "benchmark.bare"));

        Map<String, Map<String, Run>> results = new LinkedHashMap<>();
        Map<String, String> memory = new LinkedHashMap<>();
        try (Service bare = Service.start("bare", bareCommand, Map.of(), "http://127.0.0.1:" + barePort + "/");
                Service ingest = Service.start("webhook-ingest", ingestCommand, ingestEnvironment,
                        "http://127.0.0.1:" + ingestPort + "/q/health/ready")) {
            for (Service service : List.of(bare, ingest)) {
                String url = service.name().equals("bare") ? "http://127.0.0.1:" + barePort
                        : "http://127.0.0.1:" + ingestPort;
                Map<String, Run> runs = new LinkedHashMap<>();
                wrk(service, url, 0, CONNECTIONS, 15); // warm-up: JIT, connection pools, topic metadata
                runs.put("max", wrk(service, url, 0, CONNECTIONS, SECONDS));
                for (int rate : RATES) {
                    runs.put(rate + "/s", wrk(service, url, rate, Math.max(64, rate / 5), SECONDS));
                }
                results.put(service.name(), runs);
                memory.put(service.name(), service.memory());
            }
        }

        String report = report(results, memory);
        Files.writeString(DIR.resolve("report.md"), report);
        LOG.info("\n" + report);
        results.values().forEach(runs -> runs.forEach((name, run) ->
                assertThat(run.errors()).as("requests not answered 2xx in run %s", name).isZero()));
    }

    /** One wrk run of {@code seconds} against {@code url}; {@code rate} 0 for closed loop. */
    private static Run wrk(Service service, String url, int rate, int connections, int seconds)
            throws IOException, InterruptedException {
        String runId = UUID.randomUUID().toString().substring(0, 8);
        Path requests = DIR.resolve("requests-" + runId + ".txt");
        Files.write(requests, signedDeliveries(runId));
        List<String> command = List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", DIR.resolve("deliveries.lua").toString(), url, "--", requests.toString(), String.valueOf(rate),
                runId, "1");
        long serviceCpuBefore = service.cpuMillis();
        long brokerCpuBefore = brokerCpuMillis();
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(wrk.waitFor(seconds + 60L, TimeUnit.SECONDS)).isTrue();
        long serviceCpu = service.cpuMillis() - serviceCpuBefore;
        long brokerCpu = brokerCpuMillis() - brokerCpuBefore;
        Files.delete(requests);
        String result = output.lines().filter(line -> line.startsWith("RESULT ")).findFirst()
                .orElseThrow(() -> new IllegalStateException("wrk printed no result:\n" + output));
        Map<String, Long> values = new HashMap<>();
        for (String pair : result.substring("RESULT ".length()).split(" ")) {
            String[] keyValue = pair.split("=");
            values.put(keyValue[0], Long.parseLong(keyValue[1]));
        }
        Run run = new Run(rate, values.get("requests"), values.get("duration_us"),
                values.get("status_errors") + values.get("connect_errors") + values.get("read_errors")
                        + values.get("write_errors") + values.get("timeouts"),
                values.get("p50_us"), values.get("p90_us"), values.get("p99_us"), values.get("p999_us"),
                values.get("max_us"), (double) serviceCpu / values.get("requests"),
                (double) brokerCpu / values.get("requests"), loadAverage());
        LOG.infof("%s rate=%s: %.0f req/s, p50 %.1f ms, p99 %.1f ms, errors %d, CPU %.2f ms/request (broker JVM "
                + "%.2f), load %s", service.name(), rate == 0 ? "max" : rate, run.throughput(), run.p50Us() / 1000.0,
                run.p99Us() / 1000.0, run.errors(), run.serviceCpuMsPerRequest(), run.brokerCpuMsPerRequest(),
                run.loadAverage());
        return run;
    }

    /** Two signed pushes per ref (X to Y, then back), one line each: signature, tab, body. */
    private static List<String> signedDeliveries(String runId) {
        List<String> lines = new ArrayList<>();
        for (int ref = 0; ref < REFS; ref++) {
            String x = Deliveries.commit();
            String y = Deliveries.commit();
            String branch = "bench-" + runId + "-" + ref;
            for (Deliveries.Change change : List.of(Deliveries.branch(branch, x, y), Deliveries.branch(branch, y, x))) {
                byte[] body = Deliveries.push("bench/shop", change);
                lines.add(WebhookSignature.sign(SECRET, body) + "\t" + new String(body, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    private static String report(Map<String, Map<String, Run>> results, Map<String, String> memory) {
        StringBuilder report = new StringBuilder("| target | load | throughput | p50 | p90 | p99 | p99.9 | max | errors "
                + "| CPU/request (service, broker JVM) | machine load average |\n"
                + "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        results.forEach((target, runs) -> runs.forEach((load, run) -> report.append(String.format(Locale.ROOT,
                "| %s | %s | %.0f/s | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %.1f ms | %d | %.2f ms, %.2f ms | %s |%n",
                target, load.equals("max") ? "closed loop, " + CONNECTIONS + " connections" : "open loop, " + load,
                run.throughput(), run.p50Us() / 1000.0, run.p90Us() / 1000.0, run.p99Us() / 1000.0,
                run.p999Us() / 1000.0, run.maxUs() / 1000.0, run.errors(), run.serviceCpuMsPerRequest(),
                run.brokerCpuMsPerRequest(), run.loadAverage()))));
        Map<String, Run> ours = results.get("webhook-ingest");
        Map<String, Run> bare = results.get("bare");
        report.append(String.format(Locale.ROOT, "%nthroughput ratio (webhook-ingest / bare, closed loop): %.2f%n",
                ours.get("max").throughput() / bare.get("max").throughput()));
        for (int rate : RATES) {
            report.append(String.format(Locale.ROOT, "p99 ratio at %d/s (webhook-ingest / bare): %.2f%n", rate,
                    (double) ours.get(rate + "/s").p99Us() / bare.get(rate + "/s").p99Us()));
        }
        memory.forEach((target, rss) -> report.append(target).append(" memory after the runs: ").append(rss).append('\n'));
        return report.toString();
    }

    /** CPU time of this JVM, which runs the broker (and little else while wrk runs). */
    private static long brokerCpuMillis() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime() / 1_000_000;
    }

    /** The machine's 1-minute load average at the end of a run: the figures mean little far above 2. */
    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }

    record Run(int rate, long requests, long durationUs, long errors, long p50Us, long p90Us, long p99Us, long p999Us,
            long maxUs, double serviceCpuMsPerRequest, double brokerCpuMsPerRequest, String loadAverage) {

        double throughput() {
            return requests * 1_000_000.0 / durationUs;
        }
    }

    /** A service of the benchmark as a process of its own, its output in {@code target/benchmark/<name>.log}. */
    record Service(String name, Process process) implements AutoCloseable {

        static Service start(String name, List<String> command, Map<String, String> environment, String readyUrl)
                throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(DIR.resolve(name + ".log").toFile());
            builder.environment().putAll(environment);
            Service service = new Service(name, builder.start());
            HttpClient client = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
                assertThat(service.process().isAlive()).as(name + " stopped; see its log").isTrue();
                return client.send(HttpRequest.newBuilder(URI.create(readyUrl)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
            return service;
        }

        /** CPU time the process used so far (user and system), from /proc, in ms. */
        long cpuMillis() throws IOException {
            String stat = Files.readString(Path.of("/proc/" + process.pid() + "/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // clock ticks of 10 ms
        }

        /** Resident memory now and at its peak, from /proc. */
        String memory() throws IOException {
            Map<String, String> status = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                String[] parts = line.split(":\\s+", 2);
                if (parts.length == 2) {
                    status.put(parts[0], parts[1]);
                }
            }
            return "RSS " + status.get("VmRSS") + ", peak " + status.get("VmHWM");
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
