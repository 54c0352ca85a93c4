package io.trunkline.bench;

import io.trunkline.infra.test.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The end-to-end benchmark (issue 12): starts the whole system ({@link SystemUnderTest}), configures the
 * repositories, runs the floor and then Trunkline at the same rate, open-loop, on the same broker, and writes
 * {@code bench/target/benchmark-report.md} and {@code bench/target/latency-histogram.svg}. Parameters are
 * system properties ({@link BenchSettings}); see {@code bench/README.md}.
 */
public final class EndToEndBenchmark {

    /** The processes that are Trunkline (their CPU per webhook is Trunkline's). */
    static final List<String> TRUNKLINE_PROCESSES = List.of("webhook-ingest", "promotion-service", "deploy-service",
            "status-reporter", "kafka+postgres JVM", "postgres server");
    /** The processes that are the floor: its program and the broker it uses. */
    static final List<String> FLOOR_PROCESSES = List.of("floor", "kafka+postgres JVM");
    /** The p99 beyond which the knee search stops. */
    static final double KNEE_P99_MS = 1000;

    /** Nothing arriving for this long with no consumer lag: the system is done with the phase. */
    private static final Duration QUIET = Duration.ofSeconds(20);
    /** The longest a phase waits for its last calls after the last request. */
    /** How long the idle CPU of each process is measured, before the load. */
    private static final Duration IDLE = Duration.ofSeconds(5);
    private static final Duration MAX_DRAIN = Duration.ofMinutes(30);
    private static final String TEMPLATE_COMMIT = "141977fedf5cf35aa290ac87d4b5177ac4cd9de1";

    /** Everything one run measured, and where its report went. */
    record Outcome(BenchSettings settings, String loadBefore, String startUp, String postgresSettings, PhaseResult floor, PhaseResult trunkline,
            List<PhaseResult> knee, Map<String, Long> idleKb, Map<String, Double> idleCpuMillisPerSecond, Map<String, Long> peakKb, String report, Path reportFile,
            Path histogramFile) {
    }

    private final BenchSettings settings;
    private final SystemUnderTest system;
    private final LagSampler lag;
    private final Records records;
    private final OpenLoopSender sender = new OpenLoopSender();
    private final String template;
    private int phases;

    private EndToEndBenchmark(BenchSettings settings, SystemUnderTest system, LagSampler lag) {
        this.settings = settings;
        this.system = system;
        this.lag = lag;
        this.records = new Records(system.targetUrl(), system.bitbucketUrl());
        this.template = new String(Fixtures.bytes("bitbucket-cloud/go-scm/push.json"), StandardCharsets.UTF_8)
                .replace("master", SystemUnderTest.TRUNK);
    }

    public static void main(String[] args) {
        Outcome outcome = run(BenchSettings.fromSystemProperties());
        System.out.println(outcome.report());
        boolean clean = java.util.stream.Stream.of(outcome.floor(), outcome.trunkline())
                .allMatch(phase -> phase.otherStatus() == 0 && phase.lost() == 0 && phase.duplicates() == 0);
        System.exit(clean ? 0 : 1);
    }

    static Outcome run(BenchSettings settings) {
        String loadBefore = Report.loadAverage();
        Path raw = settings.outputDirectory().resolve("bench-raw");
        try (var old = Files.exists(raw) ? Files.list(raw) : java.util.stream.Stream.<Path>empty()) {
            old.forEach(file -> file.toFile().delete()); // an earlier run's
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (SystemUnderTest system = SystemUnderTest.start(settings);
                LagSampler lag = new LagSampler(system.bootstrapServers())) {
            system.configureRepositories(settings.repositories());
            return new EndToEndBenchmark(settings, system, lag).measure(loadBefore);
        }
    }

    private Outcome measure(String loadBefore) {
        prime();
        pause(Duration.ofSeconds(2)); // let the start-up's and the priming's work settle
        Map<String, Long> idle = new LinkedHashMap<>();
        system.meters().forEach((name, meter) -> idle.put(name, meter.residentKb()));
        // what each process uses doing nothing (pollers, long-polling consumers), in ms of CPU per second
        Map<String, Long> idleStart = cpu();
        long idleFrom = System.nanoTime();
        pause(IDLE);
        Map<String, Long> idleEnd = cpu();
        double idleSeconds = (System.nanoTime() - idleFrom) / 1e9;
        Map<String, Double> idleCpu = new LinkedHashMap<>();
        idleStart.forEach((name, cpu) -> idleCpu.put(name, (idleEnd.get(name) - cpu) / idleSeconds));

        PhaseResult floor = phase("floor", settings.rate(), this::floorRequest);
        PhaseResult trunkline = phase("Trunkline", settings.rate(), this::webhook);
        List<PhaseResult> knee = new ArrayList<>();
        if (settings.knee()) {
            int rate = settings.rate();
            PhaseResult step = trunkline;
            while (step.toTarget().p99() <= KNEE_P99_MS && step.lost() == 0 && rate < 2000) {
                rate = (int) Math.ceil(rate * 1.5);
                step = phase("Trunkline", rate, this::webhook);
                knee.add(step);
            }
        }
        Map<String, Long> peak = new LinkedHashMap<>();
        system.meters().forEach((name, meter) -> peak.put(name, meter.peakKb()));
        sender.close();
        Outcome unwritten = new Outcome(settings, loadBefore, system.startUp(), system.postgresSettings(), floor, trunkline,
                knee, idle, idleCpu, peak, null, null, null);
        return Report.write(unwritten);
    }

    /**
     * A few pushes, not counted, waited for until their commit statuses arrived: the first pushes create the topics
     * and the consumers only then get their partitions, seconds of a start-up that is no part of the steady state.
     */
    private void prime() {
        phases++;
        int count = Math.min(10, settings.repositories());
        List<OpenLoopSender.Sent> sent = sender.run(5, count, this::webhook);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            records.refresh();
            boolean done = sent.stream().filter(each -> each.status() == 202).count() == count
                    && sent.stream().allMatch(each -> records.successful(key(each.index())) != null);
            if (done) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the priming pushes were not all deployed and reported within 120 s: "
                        + sent.stream().filter(each -> records.successful(key(each.index())) == null).count() + " of "
                        + count + " missing (answers " + sent.stream().map(OpenLoopSender.Sent::status).toList() + ")");
            }
            system.checkAlive();
            pause(Duration.ofMillis(200));
        }
    }

    /** The floor's request {@code i} of the current phase. */
    private HttpRequest floorRequest(int i) {
        return HttpRequest.newBuilder(URI.create(system.floorUrl() + key(i)))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    /**
     * Trunkline's push {@code i} of the current phase: main of repository {@code i mod N} moved to a new commit, signed.
     * Every push moves it from the fixture's old commit, not from the previous push's: webhooks are answered
     * concurrently, so a push may be taken before the one sent just ahead of it, and with chained commits
     * promotion-service would rightly judge the earlier one a late delivery that deploys nothing (which would read
     * as lost here).
     */
    private HttpRequest webhook(int i) {
        int repository = i % settings.repositories();
        String commit = key(i);
        byte[] body = template.replace("brydzewski/foo", SystemUnderTest.WORKSPACE + "/" + SystemUnderTest.repository(repository))
                .replace(TEMPLATE_COMMIT, commit)
                .getBytes(StandardCharsets.UTF_8);
        return HttpRequest.newBuilder(URI.create(system.webhookUrl()))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Event-Key", "repo:push")
                .header("X-Request-UUID", UUID.randomUUID().toString())
                .header("X-Hub-Signature", sign(body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** A 40-hex-digit commit (or floor id) unique to this phase and request. */
    private String key(int i) {
        return String.format("%08x%032x", phases, i);
    }

    private String sign(byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(system.webhookSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private PhaseResult phase(String name, int rate, IntFunction<HttpRequest> request) {
        phases++;
        boolean trunkline = !name.equals("floor");
        int warm = settings.warmupSeconds() * rate;
        int measured = settings.seconds() * rate;
        int total = warm + measured;
        List<String> keys = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            keys.add(key(i));
        }
        // the measured window starts with the first measured request: CPU counters read then, from another thread
        CompletableFuture<Map<String, Long>> cpuAtStart = CompletableFuture.supplyAsync(this::cpu,
                CompletableFuture.delayedExecutor(50 + TimeUnit.SECONDS.toMillis(settings.warmupSeconds()), TimeUnit.MILLISECONDS));
        CompletableFuture<Map<String, DatabaseWork.Counts>> databaseAtStart = cpuAtStart
                .thenApply(cpu -> system.databaseWork().read());
        long startMicros = Micros.now();
        List<OpenLoopSender.Sent> sent = sender.run(rate, total, request);
        long lastIntended = sent.get(sent.size() - 1).intendedMicros();
        Map<String, Long> before = cpuAtStart.join();
        long windowStart = startMicros + 50_000 + TimeUnit.SECONDS.toMicros(settings.warmupSeconds());

        // until every accepted request reached the target (and, for Trunkline, its final status); what has not once
        // the system is idle (no consumer lag, nothing arriving for QUIET) never will: it is lost
        List<String> accepted = new ArrayList<>();
        for (OpenLoopSender.Sent each : sent) {
            if (each.status() == 202) {
                accepted.add(keys.get(each.index()));
            }
        }
        long deadline = System.nanoTime() + MAX_DRAIN.toNanos();
        int arrived = -1;
        long quietSince = System.nanoTime();
        while (true) {
            records.refresh();
            boolean done = accepted.stream().allMatch(key -> !records.calls(key).isEmpty()
                    && (!trunkline || records.successful(key) != null));
            if (records.count() != arrived) {
                arrived = records.count();
                quietSince = System.nanoTime();
            }
            LagSampler.Sample latest = lag.latest();
            boolean idle = latest != null && latest.totalLag() == 0 && System.nanoTime() - quietSince > QUIET.toNanos();
            if (done || idle || System.nanoTime() > deadline) {
                break;
            }
            if (trunkline) {
                system.checkAlive();
            }
            pause(Duration.ofMillis(200));
        }
        Map<String, Long> after = cpu();
        Map<String, DatabaseWork.Counts> database = trunkline
                ? DatabaseWork.between(databaseAtStart.join(), system.databaseWork().read()) : Map.of();
        if (trunkline) {
            writeFile(settings.outputDirectory().resolve("bench-raw").resolve(phases + "-statements.md"),
                    "# The 60 statements run most often since PostgreSQL started (after the phase at " + rate + "/s)\n\n"
                            + system.databaseWork().mostFrequent(60));
        }
        long windowEnd = Micros.now();
        // the lag: back to 0 after the last request? waited for up to 15 s more
        long lagDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < lagDeadline) {
            LagSampler.Sample latest = lag.latest();
            if (latest != null && latest.micros() > windowEnd && latest.totalLag() == 0) {
                break;
            }
            pause(Duration.ofMillis(250));
        }
        records.refresh();

        List<LagSampler.Sample> samples = lag.between(startMicros, Micros.now());
        long maxLag = samples.stream().mapToLong(LagSampler.Sample::totalLag).max().orElse(0);
        long zeroAt = -1;
        for (LagSampler.Sample sample : samples) {
            if (sample.micros() < lastIntended) {
                continue;
            }
            if (sample.totalLag() == 0 && zeroAt < 0) {
                zeroAt = sample.micros();
            } else if (sample.totalLag() > 0) {
                zeroAt = -1;
            }
        }

        StringBuilder raw = new StringBuilder("index,intended_us,status,answered_us,first_call_us,calls,successful_us\n");
        for (OpenLoopSender.Sent each : sent) {
            String key = keys.get(each.index());
            List<Long> calls = records.calls(key);
            Long status = records.successful(key);
            raw.append(each.index()).append(',').append(each.intendedMicros()).append(',').append(each.status()).append(',')
                    .append(each.answeredMicros()).append(',').append(calls.isEmpty() ? "" : calls.get(0)).append(',')
                    .append(calls.size()).append(',').append(status == null ? "" : status).append('\n');
        }
        writeFile(settings.outputDirectory().resolve("bench-raw").resolve(phases + "-" + name + "-" + rate + ".csv"), raw.toString());

        int lost = 0;
        int duplicates = 0;
        int missingStatus = 0;
        int refused = 0;
        int unanswered = 0;
        int otherStatus = 0;
        int measuredAccepted = 0;
        List<Long> answered = new ArrayList<>();
        List<Long> toTarget = new ArrayList<>();
        List<Long> toStatus = new ArrayList<>();
        for (OpenLoopSender.Sent each : sent) {
            if (each.status() != 202) {
                if (each.status() == 503) {
                    refused++;
                } else if (each.status() == 0) {
                    unanswered++;
                } else {
                    otherStatus++;
                }
                if (each.index() >= warm) {
                    // not accepted (an error, or no answer within the timeout): its wait counts all the same
                    answered.add(each.answeredMicros() - each.intendedMicros());
                }
                continue;
            }
            String key = keys.get(each.index());
            List<Long> calls = records.calls(key);
            Long status = records.successful(key);
            if (calls.isEmpty()) {
                lost++;
            }
            if (calls.size() > 1) {
                duplicates++;
            }
            if (trunkline && status == null) {
                missingStatus++;
            }
            if (each.index() < warm) {
                continue;
            }
            measuredAccepted++;
            answered.add(each.answeredMicros() - each.intendedMicros());
            if (!calls.isEmpty()) {
                toTarget.add(calls.get(0) - each.intendedMicros());
            }
            if (status != null) {
                toStatus.add(status - each.intendedMicros());
            }
        }
        Map<String, Long> used = new LinkedHashMap<>();
        before.forEach((process, cpu) -> used.put(process, after.getOrDefault(process, cpu) - cpu));
        return new PhaseResult(name, rate, total, accepted.size(), refused, unanswered, otherStatus, measuredAccepted, lost, duplicates, Latencies.of(answered),
                Latencies.of(toTarget), Latencies.of(toStatus), missingStatus, maxLag,
                zeroAt < 0 ? -1 : Math.max(0, (zeroAt - lastIntended) / 1000),
                used, database, measured, (windowEnd - windowStart) / 1e6);
    }

    private Map<String, Long> cpu() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        system.meters().forEach((name, meter) -> cpu.put(name, meter.cpuMillis()));
        return cpu;
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void writeFile(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
