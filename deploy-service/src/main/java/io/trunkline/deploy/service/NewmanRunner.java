package io.trunkline.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.deploy.client.CallInterruptedException;
import io.trunkline.events.VerificationResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a Postman collection with newman as a separate process:
 * {@code newman run <collection> --reporters json --reporter-json-export <report> -e <environment>}, in a
 * private temporary directory (mode 700) that holds the environment file (with the secret variables'
 * values, written with mode 600) and the report, and is deleted afterwards. The process is killed, with its
 * children, when it outlasts the timeout or the thread is interrupted. Its output is discarded: only the
 * report is read, into a summary (requests, assertions, the first failures' names and messages).
 */
final class NewmanRunner {

    /** The most failures a summary names. */
    static final int MAX_FAILURES = 5;
    private static final int MAX_MESSAGE = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String command;

    /** @param command the newman executable: a name on {@code PATH} or a path */
    NewmanRunner(String command) {
        this.command = command;
    }

    /** What a run came to: whether every request and assertion passed, what happened for people, the summary. */
    record Run(boolean passed, String detail, VerificationResult.PostmanSummary summary) {
    }

    /**
     * @param collection the collection file (confined, or fetched into {@code workDirectory})
     * @param variables the environment's variables, values expanded and secrets resolved
     * @param secrets the variables whose values are secrets: written as {@code secret}, masked in messages
     * @throws CallInterruptedException when the thread is interrupted during the run (the process is killed)
     */
    Run run(Path collection, Map<String, String> variables, Set<String> secrets, Duration timeout, Path workDirectory) {
        Path environment = workDirectory.resolve("environment.json");
        Path report = workDirectory.resolve("report.json");
        Path output = workDirectory.resolve("output.txt");
        List<String> masked = secrets.stream().map(variables::get).filter(value -> value != null && !value.isEmpty())
                .toList();
        try {
            ObjectNode environmentJson = JSON.createObjectNode().put("name", "trunkline");
            ArrayNode values = environmentJson.putArray("values");
            variables.forEach((name, value) -> values.addObject().put("key", name).put("value", value)
                    .put("type", secrets.contains(name) ? "secret" : "default").put("enabled", true));
            Files.createFile(environment, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(environment, JSON.writeValueAsString(environmentJson), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new Run(false, "could not write newman's environment file", null);
        }
        ProcessBuilder builder = new ProcessBuilder(command, "run", collection.toString(), "--reporters", "json",
                "--reporter-json-export", report.toString(), "-e", environment.toString(), "--disable-unicode",
                "--timeout", Long.toString(timeout.toMillis()))
                .directory(workDirectory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put("NO_COLOR", "1");
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new Run(false, "newman could not be started (" + command + "): install it (npm install -g newman)"
                    + " or set trunkline.verify.newman-command", null);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return new Run(false, "newman did not finish within " + human(timeout) + " and was stopped",
                        summary(report, masked));
            }
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new CallInterruptedException("deploy-service is stopping while a postman check runs");
        }
        VerificationResult.PostmanSummary summary = summary(report, masked);
        int exit = process.exitValue();
        if (summary == null) {
            return new Run(false, "newman exited with code " + exit + " without a report: " + firstLine(output, masked), null);
        }
        boolean passed = exit == 0 && summary.assertionsFailed() == 0 && summary.requestsFailed() == 0
                && (summary.failures() == null || summary.failures().isEmpty());
        String detail = summary.requests() + " request" + (summary.requests() == 1 ? "" : "s") + ", "
                + (summary.assertions() - summary.assertionsFailed()) + " of " + summary.assertions()
                + " assertions passed" + (summary.requestsFailed() > 0 ? ", " + summary.requestsFailed()
                + " request" + (summary.requestsFailed() == 1 ? "" : "s") + " failed" : "")
                + (passed || summary.failures() == null || summary.failures().isEmpty() ? ""
                : "; first failure: " + summary.failures().get(0).name() + ": " + summary.failures().get(0).message());
        return new Run(passed, detail, summary);
    }

    /** The summary of newman's JSON report; null when there is none (newman did not get as far). */
    static VerificationResult.PostmanSummary summary(Path report, List<String> masked) {
        if (!Files.isRegularFile(report)) {
            return null;
        }
        JsonNode run;
        try {
            run = JSON.readTree(report.toFile()).path("run");
        } catch (IOException e) {
            return null;
        }
        JsonNode stats = run.path("stats");
        List<VerificationResult.Failure> failures = new ArrayList<>();
        for (JsonNode failure : run.path("failures")) {
            if (failures.size() == MAX_FAILURES) {
                break;
            }
            JsonNode error = failure.path("error");
            String test = error.path("test").asText("");
            String request = failure.path("source").path("name").asText("");
            String name = test.isEmpty() ? (request.isEmpty() ? error.path("name").asText("failure") : request)
                    : (request.isEmpty() ? test : request + " / " + test);
            failures.add(new VerificationResult.Failure(mask(shorten(name), masked),
                    mask(shorten(error.path("message").asText("")), masked)));
        }
        return new VerificationResult.PostmanSummary(stats.path("requests").path("total").asInt(),
                stats.path("requests").path("failed").asInt(), stats.path("assertions").path("total").asInt(),
                stats.path("assertions").path("failed").asInt(), failures.isEmpty() ? null : failures);
    }

    /** The first line of newman's output, secret values masked, for a run that produced no report. */
    private static String firstLine(Path output, List<String> masked) {
        try (Stream<String> lines = Files.lines(output)) {
            return mask(shorten(lines.map(String::strip).filter(text -> !text.isEmpty()).findFirst()
                    .orElse("no output")), masked);
        } catch (IOException | RuntimeException e) {
            return "no output";
        }
    }

    /** Each secret value replaced by {@code ********}. */
    private static String mask(String text, List<String> masked) {
        for (String value : masked) {
            text = text.replace(value, "********");
        }
        return text;
    }

    private static String shorten(String text) {
        String oneLine = text.replaceAll("\\s+", " ").strip();
        return oneLine.length() <= MAX_MESSAGE ? oneLine : oneLine.substring(0, MAX_MESSAGE - 1) + "…";
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // a temporary directory left behind: nothing else depends on it
        }
    }

    private static String human(Duration duration) {
        return io.trunkline.deploy.client.CallRetries.human(duration);
    }
}
