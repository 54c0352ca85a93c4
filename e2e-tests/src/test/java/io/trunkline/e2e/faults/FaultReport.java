package io.trunkline.e2e.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The outcome table of the fault suite, in Markdown, rewritten after each scenario so that a run cut
 * short still leaves what it found; meant to be copied to {@code docs/benchmarks.md}.
 */
final class FaultReport {

    private final Path file;
    private final FaultSuiteSettings settings;
    private final Instant started = Instant.now();
    private final List<ScenarioResult> results = new ArrayList<>();

    FaultReport(Path file, FaultSuiteSettings settings) {
        this.file = file;
        this.settings = settings;
    }

    synchronized void add(ScenarioResult result) {
        results.add(result);
        write();
    }

    synchronized String markdown() {
        StringBuilder out = new StringBuilder();
        out.append("## Faults\n\n");
        out.append("`./mvnw -B verify -pl e2e-tests -Dit.test=FaultSuiteIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false")
                .append(settings.longForm() ? " -Dfaults.long=true" : "").append("` (after `./mvnw -B install -DskipTests`)\n\n");
        out.append(String.format(Locale.ROOT, "%s; run %s on %d cores, %d s so far.%n%n", capitalised(settings.describe()),
                started.truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
                Duration.between(started, Instant.now()).toSeconds()));
        out.append("| # | scenario | webhooks sent / accepted (resent) | answers before 202 | deploy calls: deployed / all "
                + "| duplicates | lost | not accepted | final statuses | settled in | result |\n");
        out.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<ScenarioResult> ordered = results.stream().sorted(Comparator.comparing(ScenarioResult::id)).toList();
        for (ScenarioResult result : ordered) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %d / %d (%d) | %s | %d / %d | %d | %d | %d | %s | %s | %s |%n",
                    result.id(), result.name(), result.sent(), result.accepted(), result.resent(),
                    result.answersBefore202(), result.deployedCalls(),
                    result.allCalls(), result.duplicates(), result.lost(), result.notAccepted(), result.finalStatuses(),
                    result.settledIn() == null ? "not settled" : result.settledIn().toSeconds() + " s",
                    result.passed() ? "pass" : "**FAIL**"));
        }
        out.append("\nResent: deliveries sent more than once (same X-Request-UUID) before their 202. "
                + "\"deployed\" counts target calls answered 200; \"all\" adds those answered 500 during a server-error "
                + "window and those held open by a hanging target. A duplicate is a commit with more than one call that "
                + "deployed or may have. Lost: accepted (202) with no final commit status at Bitbucket.\n");
        List<ScenarioResult> failed = ordered.stream().filter(result -> !result.passed()).toList();
        if (!failed.isEmpty()) {
            out.append("\n### What went wrong\n");
            for (ScenarioResult result : failed) {
                out.append("\n").append(result.id()).append(" ").append(result.name()).append(":\n")
                        .append(result.problemDetails(15));
            }
        }
        return out.toString();
    }

    private void write() {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, markdown());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String capitalised(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
