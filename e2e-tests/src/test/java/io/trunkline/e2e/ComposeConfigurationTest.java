package io.trunkline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keeps {@code docker-compose.yml} in step with the services: every environment variable a
 * service's {@code application.properties} reads is set (or passed through) for it in compose,
 * and every service waits for a healthy Kafka and PostgreSQL and has a readiness health check.
 * No Docker engine is needed; CI also validates the file with {@code docker-compose config}.
 */
class ComposeConfigurationTest {

    private static final Pattern ENV_PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?=[:}])");
    private static final Set<String> PROFILES_COMPOSE_NEVER_RUNS = Set.of("dev", "test");

    private static Path root;
    private static Map<String, Object> services;

    @BeforeAll
    static void readComposeFile() throws IOException {
        root = Stream.of(System.getProperty("trunkline.root"), "..", ".")
                .filter(candidate -> candidate != null && !candidate.isBlank())
                .map(candidate -> Path.of(candidate).toAbsolutePath().normalize())
                .filter(candidate -> Files.isRegularFile(candidate.resolve("docker-compose.yml")))
                .findFirst()
                .orElseThrow(() -> new AssertionError("docker-compose.yml not found: set -Dtrunkline.root"));
        Map<String, Object> compose = ComposeFile.parse(Files.readAllLines(root.resolve("docker-compose.yml")));
        services = map(compose.get("services"), "services");
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-ingest", "promotion-service", "deploy-service", "status-reporter"})
    void composeSetsEveryVariableTheServiceConfigurationReads(String service) {
        Set<String> read = environmentVariablesRead(service);
        Set<String> set = environment(service).keySet();

        Set<String> missing = new TreeSet<>(read);
        missing.removeAll(set);
        assertThat(missing)
                .as("variables %s/src/main/resources/application.properties reads that docker-compose.yml does not give %s",
                        service, service)
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-ingest", "promotion-service", "deploy-service", "status-reporter"})
    void serviceStartsOnlyOnceKafkaAndPostgresAreHealthy(String service) {
        Map<String, Object> dependsOn = map(service(service).get("depends_on"), service + ".depends_on");

        for (String dependency : List.of("kafka", "postgres")) {
            assertThat(map(dependsOn.get(dependency), service + ".depends_on." + dependency))
                    .as("%s.depends_on.%s", service, dependency)
                    .containsEntry("condition", "service_healthy");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-ingest", "promotion-service", "deploy-service", "status-reporter"})
    void serviceHealthCheckAsksForReadiness(String service) {
        Map<String, Object> healthcheck = map(service(service).get("healthcheck"), service + ".healthcheck");

        assertThat(String.valueOf(healthcheck.get("test"))).as("%s.healthcheck.test", service)
                .contains("/q/health/ready");
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-ingest", "promotion-service", "deploy-service", "status-reporter"})
    void serviceImageIsBuiltFromItsDockerfile(String service) {
        Map<String, Object> definition = service(service);
        Map<String, Object> build = map(definition.get("build"), service + ".build");

        assertThat(definition).containsEntry("image", "trunkline/" + service + ":latest");
        assertThat(root.resolve(String.valueOf(build.get("context"))).resolve(String.valueOf(build.get("dockerfile"))))
                .as("%s.build: context + dockerfile", service)
                .isRegularFile();
    }

    @ParameterizedTest
    @ValueSource(strings = {"webhook-ingest", "promotion-service", "deploy-service", "status-reporter"})
    void serviceDatabaseIsCreatedByThePostgresInitScript(String service) throws IOException {
        String url = String.valueOf(environment(service).get("TRUNKLINE_DB_URL"));
        String database = url.substring(url.lastIndexOf('/') + 1);
        String initScript = Files.readString(root.resolve("infra/docker/postgres/init-databases.sql"));

        assertThat(database).isEqualTo(service.replace('-', '_'));
        assertThat(initScript).contains("CREATE DATABASE " + database + ";");
    }

    @Test
    void kafkaAndPostgresHaveHealthChecks() {
        for (String server : List.of("kafka", "postgres")) {
            assertThat(map(service(server).get("healthcheck"), server + ".healthcheck")).containsKey("test");
        }
    }

    @Test
    void composeFileReaderUnderstandsTheFormsTheFileUses() {
        Map<String, Object> parsed = ComposeFile.parse(List.of(
                "# comment",
                "services:",
                "  web:",
                "    image: \"trunkline/web:latest\"  # trailing comment",
                "    environment:",
                "      A: jdbc:postgresql://db:5432/x",
                "      B:",
                "    healthcheck:",
                "      test: [\"CMD\", \"bash\", \"-c\", \"echo #1 $$x\"]",
                "  other:",
                "    environment:",
                "      - C=1",
                "      - D",
                "    command: >",
                "      a",
                "      b"));

        Map<String, Object> web = map(map(parsed.get("services"), "services").get("web"), "web");
        assertThat(web).containsEntry("image", "trunkline/web:latest");
        assertThat(map(web.get("environment"), "environment"))
                .containsEntry("A", "jdbc:postgresql://db:5432/x").containsEntry("B", null);
        assertThat(String.valueOf(map(web.get("healthcheck"), "healthcheck").get("test"))).contains("echo #1 $$x");
        Map<String, Object> other = map(map(parsed.get("services"), "services").get("other"), "other");
        assertThat(other.get("environment")).isEqualTo(List.of("C=1", "D"));
        assertThat(other.get("command")).isEqualTo("a b");
        assertThatThrownBy(() -> ComposeFile.parse(List.of("a:", "  b: 1", " c: 2")))
                .hasMessageContaining("line 3");
    }

    // ---------------------------------------------------------------------------------------

    private static Map<String, Object> service(String name) {
        return map(services.get(name), "services." + name);
    }

    /** The variable names a service gets, from either form of {@code environment}. */
    private static Map<String, Object> environment(String service) {
        Object environment = service(service).get("environment");
        if (environment instanceof List<?> entries) {
            Map<String, Object> byName = new LinkedHashMap<>();
            for (Object entry : entries) {
                String text = String.valueOf(entry);
                int equals = text.indexOf('=');
                byName.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
            return byName;
        }
        return map(environment, service + ".environment");
    }

    /**
     * Every {@code ${NAME}} or {@code ${NAME:default}} with an UPPER_SNAKE_CASE name in the
     * service's application.properties, except in the dev and test profiles (compose runs prod).
     */
    private static Set<String> environmentVariablesRead(String service) {
        Path module = root.resolve(service);
        Assumptions.assumeTrue(Files.isDirectory(module.resolve("src/main/java")), service + " has no code yet");
        Path properties = module.resolve("src/main/resources/application.properties");
        assertThat(properties).as("%s configuration", service).isRegularFile();

        Set<String> names = new TreeSet<>();
        for (String line : logicalLines(properties)) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!")
                    || onlyInProfilesComposeNeverRuns(trimmed)) {
                continue;
            }
            Matcher matcher = ENV_PLACEHOLDER.matcher(trimmed);
            while (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    private static boolean onlyInProfilesComposeNeverRuns(String line) {
        if (!line.startsWith("%")) {
            return false;
        }
        int dot = line.indexOf('.');
        return dot > 1 && Stream.of(line.substring(1, dot).split(","))
                .map(String::strip)
                .allMatch(PROFILES_COMPOSE_NEVER_RUNS::contains);
    }

    /** Lines with their backslash continuations joined, as java.util.Properties reads them. */
    private static List<String> logicalLines(Path file) {
        List<String> logical = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        try {
            for (String line : Files.readAllLines(file)) {
                String part = current.length() > 0 ? line.stripLeading() : line;
                int trailing = 0;
                while (trailing < part.length() && part.charAt(part.length() - 1 - trailing) == '\\') {
                    trailing++;
                }
                if (trailing % 2 == 1) {
                    current.append(part, 0, part.length() - 1);
                } else {
                    logical.add(current.append(part).toString());
                    current.setLength(0);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (current.length() > 0) {
            logical.add(current.toString());
        }
        return logical;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String what) {
        assertThat(value).as(what + " in docker-compose.yml").isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    /**
     * Reads the block-style YAML subset docker-compose.yml is written in: nested mappings,
     * sequences of scalars, quoted and plain scalars, folded/literal blocks; flow collections are
     * kept as their text. Anything else fails with its line number rather than being misread.
     */
    static final class ComposeFile {

        private record Line(int number, int indent, String text) {
        }

        private final List<Line> lines;
        private int position;

        private ComposeFile(List<Line> lines) {
            this.lines = lines;
        }

        static Map<String, Object> parse(List<String> text) {
            List<Line> lines = new ArrayList<>();
            for (int i = 0; i < text.size(); i++) {
                String raw = text.get(i);
                if (raw.substring(0, raw.length() - raw.stripLeading().length()).indexOf('\t') >= 0) {
                    throw new IllegalArgumentException("tab in the indentation of line " + (i + 1));
                }
                String content = withoutComment(raw).stripTrailing();
                if (!content.isBlank()) {
                    int indent = content.length() - content.stripLeading().length();
                    lines.add(new Line(i + 1, indent, content.strip()));
                }
            }
            ComposeFile file = new ComposeFile(lines);
            if (lines.isEmpty()) {
                return new LinkedHashMap<>();
            }
            Map<String, Object> root = file.mapping(lines.get(0).indent());
            if (file.position < lines.size()) {
                throw file.unexpected(lines.get(file.position));
            }
            return root;
        }

        private Object block(int indent) {
            return isSequenceItem(lines.get(position)) ? sequence(indent) : mapping(indent);
        }

        private Map<String, Object> mapping(int indent) {
            Map<String, Object> mapping = new LinkedHashMap<>();
            while (position < lines.size() && lines.get(position).indent() == indent
                    && !isSequenceItem(lines.get(position))) {
                Line line = lines.get(position++);
                int colon = keyEnd(line.text());
                if (colon < 0) {
                    throw unexpected(line);
                }
                String key = unquote(line.text().substring(0, colon).strip());
                String rest = line.text().substring(colon + 1).strip();
                mapping.put(key, value(rest, indent));
            }
            if (position < lines.size() && lines.get(position).indent() > indent) {
                throw unexpected(lines.get(position));
            }
            return mapping;
        }

        private List<Object> sequence(int indent) {
            List<Object> sequence = new ArrayList<>();
            while (position < lines.size() && lines.get(position).indent() == indent
                    && isSequenceItem(lines.get(position))) {
                Line line = lines.get(position++);
                String item = line.text().substring(1).strip();
                if (item.isEmpty() || keyEnd(item) >= 0 && !item.startsWith("\"") && !item.startsWith("'")) {
                    throw new IllegalArgumentException("unsupported sequence item (nested block) at line " + line.number());
                }
                sequence.add(scalar(item));
            }
            if (position < lines.size() && lines.get(position).indent() > indent) {
                throw unexpected(lines.get(position));
            }
            return sequence;
        }

        private Object value(String rest, int indent) {
            boolean nested = position < lines.size() && lines.get(position).indent() > indent;
            if (rest.equals(">") || rest.equals("|") || rest.equals(">-") || rest.equals("|-")) {
                StringBuilder text = new StringBuilder();
                while (position < lines.size() && lines.get(position).indent() > indent) {
                    if (text.length() > 0) {
                        text.append(rest.startsWith(">") ? " " : "\n");
                    }
                    text.append(lines.get(position++).text());
                }
                return text.toString();
            }
            if (rest.isEmpty()) {
                return nested ? block(lines.get(position).indent()) : null;
            }
            if (nested) {
                throw unexpected(lines.get(position));
            }
            return scalar(rest);
        }

        private static boolean isSequenceItem(Line line) {
            return line.text().equals("-") || line.text().startsWith("- ");
        }

        /** Index of the colon ending a mapping key, outside quotes; -1 if the text is no key. */
        private static int keyEnd(String text) {
            char quote = 0;
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '[' || c == '{') {
                    return -1;
                } else if (c == ':' && (i + 1 == text.length() || text.charAt(i + 1) == ' ')) {
                    return i;
                }
            }
            return -1;
        }

        private static String withoutComment(String line) {
            char quote = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '#' && (i == 0 || line.charAt(i - 1) == ' ')) {
                    return line.substring(0, i);
                }
            }
            return line;
        }

        private static Object scalar(String text) {
            if (text.equals("null") || text.equals("~")) {
                return null;
            }
            return unquote(text);
        }

        private static String unquote(String text) {
            if (text.length() >= 2 && (text.startsWith("\"") && text.endsWith("\"")
                    || text.startsWith("'") && text.endsWith("'"))) {
                return text.substring(1, text.length() - 1);
            }
            return text;
        }

        private IllegalArgumentException unexpected(Line line) {
            return new IllegalArgumentException("unsupported or misindented YAML at line " + line.number()
                    + ": " + line.text());
        }
    }
}
