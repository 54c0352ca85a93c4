package io.trunkline.bench;

import java.lang.management.ManagementFactory;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The Markdown report and the SVG histogram of one run, under {@code bench/target/}. */
final class Report {

    private Report() {
    }

    static EndToEndBenchmark.Outcome write(EndToEndBenchmark.Outcome outcome) {
        BenchSettings settings = outcome.settings();
        PhaseResult floor = outcome.floor();
        PhaseResult trunkline = outcome.trunkline();
        String svg = HistogramSvg.render(String.format(Locale.ROOT, "webhook → deploy call, %d/s for %d s, %d repositories",
                        settings.rate(), settings.seconds(), settings.repositories()),
                List.of(new HistogramSvg.Series("Trunkline", "#c0392b", trunkline.toTarget()),
                        new HistogramSvg.Series("floor", "#2471a3", floor.toTarget())));
        var histogram = settings.outputDirectory().resolve("latency-histogram.svg");
        EndToEndBenchmark.writeFile(histogram, svg);

        StringBuilder md = new StringBuilder();
        md.append("# End-to-end benchmark\n\n");
        md.append(String.format(Locale.ROOT, "- run %s on %d cores, %.1f GiB; load average before the run: %s%n",
                OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)),
                Runtime.getRuntime().availableProcessors(), totalMemoryGib(), outcome.loadBefore()));
        md.append(String.format(Locale.ROOT, "- %d webhooks/s open-loop over %d repositories, %d s measured after %d s warm-up%n",
                settings.rate(), settings.repositories(), settings.seconds(), settings.warmupSeconds()));
        md.append("- start-up: ").append(outcome.startUp()).append('\n');
        md.append("- services' JVM options: `").append(String.join(" ", settings.javaOptions())).append("`\n");
        md.append("- PostgreSQL: ").append(settings.durablePostgres() ? "durable" : "local stack (no fsync, asynchronous commits)")
                .append(", the server reports ").append(outcome.postgresSettings()).append('\n');
        md.append("- the floor: plain kafka-clients, HTTP → topic → consumer → topic → consumer → HTTP, same broker, same JVM options\n\n");

        md.append("## Latency (from each request's intended send time)\n\n");
        md.append("| | p50 | p95 | p99 | max | p50 / floor | p99 / floor |\n| --- | --- | --- | --- | --- | --- | --- |\n");
        row(md, "floor: request → target call", floor.toTarget(), floor.toTarget());
        row(md, "Trunkline: webhook → deploy call", trunkline.toTarget(), floor.toTarget());
        row(md, "Trunkline: webhook → SUCCESSFUL commit status", trunkline.toFinalStatus(), floor.toTarget());
        row(md, "floor: request answered", floor.answered(), floor.answered());
        row(md, "Trunkline: webhook answered (202, an error or no answer in 30 s)", trunkline.answered(), floor.answered());
        md.append('\n');

        md.append("## Delivery\n\n| | sent | accepted (202) | refused (503) | not answered in 30 s | other answers | lost | duplicate calls"
                + " | no SUCCESSFUL status | max consumer lag | lag back to 0 after the last request |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        delivery(md, floor);
        delivery(md, trunkline);
        md.append('\n');

        double floorCpu = floor.cpuPerRequest(EndToEndBenchmark.FLOOR_PROCESSES);
        double trunklineCpu = trunkline.cpuPerRequest(EndToEndBenchmark.TRUNKLINE_PROCESSES);
        md.append("## CPU and memory\n\n");
        md.append(String.format(Locale.ROOT, "CPU per request during the measured window (%.1f s Trunkline, %.1f s floor):"
                + " Trunkline's processes together **%.2f ms per webhook**, the floor with the broker %.2f ms per request:"
                + " **%.1f× the floor**.%n%n", trunkline.windowSeconds(), floor.windowSeconds(), trunklineCpu, floorCpu,
                trunklineCpu / floorCpu));
        md.append(String.format(Locale.ROOT, "Other processes on the machine (not this benchmark's) used %.0f %% of a core"
                + " during Trunkline's window and %.0f %% during the floor's: %s.%n%n", others(trunkline), others(floor),
                Math.max(others(trunkline), others(floor)) > 10 ? "the figures are indicative only" : "a quiet machine"));
        md.append("| process | CPU ms per webhook | CPU ms per floor request | idle CPU (% of a core) | idle RSS | peak RSS |\n"
                + "| --- | --- | --- | --- | --- | --- |\n");
        for (String process : outcome.idleKb().keySet()) {
            if (process.equals(SystemUnderTest.MACHINE)) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.1f | %s | %s |%n", process,
                    (double) trunkline.cpuMillis().getOrDefault(process, 0L) / trunkline.measured(),
                    (double) floor.cpuMillis().getOrDefault(process, 0L) / floor.measured(),
                    outcome.idleCpuMillisPerSecond().getOrDefault(process, 0.0) / 10,
                    mib(outcome.idleKb().get(process)), mib(outcome.peakKb().get(process))));
        }
        md.append("\nPeak RSS is VmHWM (since the process started); for the PostgreSQL server (its postmaster and backends)"
                + " both columns are the summed proportional set size (Pss) at that moment. Idle CPU: measured over 5 s with no"
                + " load, before the phases; every phase's CPU per request includes its processes' idle share. The kafka+postgres JVM runs the"
                + " broker both phases share; the recording servers' CPU is neither's.\n\n");

        if (!trunkline.database().isEmpty()) {
            md.append("## PostgreSQL work per webhook\n\nDuring Trunkline's measured window, per service database: statements"
                    + " executed (pg_stat_statements, nested ones such as foreign-key checks included; BEGIN and COMMIT count as"
                    + " statements) and transactions ended.\n\n| database | statements per webhook | transactions per webhook |\n"
                    + "| --- | --- | --- |\n");
            long statements = 0;
            long transactions = 0;
            for (var entry : trunkline.database().entrySet()) {
                statements += entry.getValue().statements();
                transactions += entry.getValue().transactions();
                md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f |%n", entry.getKey(),
                        (double) entry.getValue().statements() / trunkline.measured(),
                        (double) entry.getValue().transactions() / trunkline.measured()));
            }
            md.append(String.format(Locale.ROOT, "| all | %.1f | %.1f |%n%nThe statements run most often, with their"
                    + " counts and mean times: `bench/target/bench-raw/*-statements.md`.%n%n", (double) statements / trunkline.measured(),
                    (double) transactions / trunkline.measured()));
        }
        if (!outcome.knee().isEmpty()) {
            md.append("## The knee (rate stepped up until p99 > 1 s)\n\n| rate | webhook → deploy call | lost | CPU ms per webhook |\n| --- | --- | --- | --- |\n");
            for (PhaseResult step : java.util.stream.Stream.concat(java.util.stream.Stream.of(trunkline), outcome.knee().stream()).toList()) {
                md.append(String.format(Locale.ROOT, "| %d/s | %s | %d | %.2f |%n", step.rate(), step.toTarget().summary(),
                        step.lost(), step.cpuPerRequest(EndToEndBenchmark.TRUNKLINE_PROCESSES)));
            }
            int knee = java.util.stream.Stream.concat(java.util.stream.Stream.of(trunkline), outcome.knee().stream())
                    .filter(step -> step.toTarget().p99() <= EndToEndBenchmark.KNEE_P99_MS && step.lost() == 0)
                    .mapToInt(PhaseResult::rate).max().orElse(0);
            md.append(String.format(Locale.ROOT, "%nThe knee: **%s** (the highest rate measured with p99 under 1 s).%n%n",
                    knee == 0 ? "below " + settings.rate() + "/s" : knee + "/s"));
        }
        md.append("Histogram: `bench/target/latency-histogram.svg` (copy it for the record with"
                + " `cp bench/target/latency-histogram.svg docs/end-to-end-latency.svg`).\n");
        String report = md.toString();
        var file = settings.outputDirectory().resolve("benchmark-report.md");
        EndToEndBenchmark.writeFile(file, report);
        return new EndToEndBenchmark.Outcome(settings, outcome.loadBefore(), outcome.startUp(), outcome.postgresSettings(), floor, trunkline,
                outcome.knee(), outcome.idleKb(), outcome.idleCpuMillisPerSecond(), outcome.peakKb(), report, file, histogram);
    }

    /** Percent of one core used by processes other than the benchmark's during the phase's window. */
    static double others(PhaseResult phase) {
        long ours = phase.cpuMillis().entrySet().stream().filter(e -> !e.getKey().equals(SystemUnderTest.MACHINE))
                .mapToLong(Map.Entry::getValue).sum();
        long machine = phase.cpuMillis().getOrDefault(SystemUnderTest.MACHINE, 0L);
        return Math.max(0, machine - ours) / 10.0 / phase.windowSeconds();
    }

    private static void row(StringBuilder md, String what, Latencies latencies, Latencies floor) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s |%n", what,
                Latencies.format(latencies.p50()), Latencies.format(latencies.p95()), Latencies.format(latencies.p99()),
                Latencies.format(latencies.max()), ratio(latencies.p50(), floor.p50()), ratio(latencies.p99(), floor.p99())));
    }

    private static String ratio(double value, double floor) {
        return Double.isNaN(value) || Double.isNaN(floor) || floor == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f×", value / floor);
    }

    private static void delivery(StringBuilder md, PhaseResult phase) {
        boolean floor = phase.name().equals("floor");
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %s | %d | %s |%n", phase.name(), phase.sent(),
                phase.accepted(), phase.refused(), phase.unanswered(), phase.otherStatus(), phase.lost(), phase.duplicates(), floor ? "n/a" : String.valueOf(phase.missingStatus()),
                phase.maxLag(), phase.lagZeroAfterMs() < 0 ? "not within 15 s of the end" : phase.lagZeroAfterMs() + " ms"));
    }

    private static String mib(Long kb) {
        return kb == null || kb == 0 ? "n/a" : String.format(Locale.ROOT, "%.0f MB", kb / 1024.0);
    }

    private static double totalMemoryGib() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getTotalMemorySize() / (1024.0 * 1024 * 1024);
        }
        return Double.NaN;
    }

    static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "n/a";
        }
    }
}
