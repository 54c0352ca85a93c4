package io.trunkline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One of the benchmark's own JVMs (the Kafka + PostgreSQL servers, the recording servers, the floor), started
 * from the bench module's classpath ({@code bench/target/classes} and {@code bench/target/lib/}). Its output goes
 * to a log; it is ready once it prints a line starting with {@code READY}, which {@link #readyLine()} returns.
 */
final class ChildJvm implements AutoCloseable {

    private final String name;
    private final Process process;
    private final String readyLine;

    private ChildJvm(String name, Process process, String readyLine) {
        this.name = name;
        this.process = process;
        this.readyLine = readyLine;
    }

    static ChildJvm start(Path root, String name, List<String> javaOptions, String mainClass, List<String> args,
            Map<String, String> environment, Duration timeout) {
        Path benchTarget = root.resolve("bench/target");
        if (!Files.isDirectory(benchTarget.resolve("lib"))) {
            throw new IllegalStateException(benchTarget.resolve("lib") + " is missing: ./mvnw -B -o package -pl bench");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(javaOptions);
        command.add("-cp");
        command.add(benchTarget.resolve("classes") + ":" + benchTarget.resolve("lib") + "/*");
        command.add(mainClass);
        command.addAll(args);
        Path log = benchTarget.resolve("bench-logs").resolve(name + ".log");
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread pump = new Thread(() -> pump(process, log, ready), name + "-output");
            pump.setDaemon(true);
            pump.start();
            try {
                return new ChildJvm(name, process, ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not start within " + timeout + "; see " + log, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IllegalStateException("interrupted while starting " + name, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private static void pump(Process process, Path log, CompletableFuture<String> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                Writer out = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.write('\n');
                out.flush();
                if (line.startsWith("READY")) {
                    ready.complete(line);
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(e);
        }
        ready.completeExceptionally(new IllegalStateException("exited before it was ready"));
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    String readyLine() {
        return readyLine;
    }

    /** The value of {@code key=value} in the ready line. */
    String ready(String key) {
        for (String part : readyLine.split("\\s+")) {
            if (part.startsWith(key + "=")) {
                return part.substring(key.length() + 1);
            }
        }
        throw new IllegalStateException(name + " did not say " + key + ": " + readyLine);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
