package io.trunkline.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.infra.kafka.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real Keycloak, Maven Central's {@code keycloak-quarkus-dist} that the build unpacks into
 * {@code target/keycloak-<version>} ({@code trunkline.keycloak.home}), run as {@code kc.sh start-dev} on
 * 127.0.0.1 and free ports with a fresh in-memory database, importing the realm export of {@code infra/keycloak}
 * (with the test dashboard's address added to the dashboard client's redirect URIs) and a second realm,
 * {@value #OTHER_REALM}, whose tokens Trunkline must refuse although they carry the audience and the roles.
 */
final class KeycloakServer implements AutoCloseable {

    static final String REALM = "trunkline";
    static final String OTHER_REALM = "elsewhere";
    /** The confidential client of the realm export: password grant for the demo users, client credentials for itself. */
    static final String MACHINE_CLIENT = "trunkline-cli";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final int port;
    private final Process process;
    private final Path log;
    private final Map<String, String> machineSecrets;

    private KeycloakServer(int port, Process process, Path log, Map<String, String> machineSecrets) {
        this.port = port;
        this.process = process;
        this.log = log;
        this.machineSecrets = machineSecrets;
    }

    /**
     * Starts Keycloak without waiting for it ({@link #awaitReady(Duration)}).
     *
     * @param realmExport     the realm export to import ({@code infra/keycloak/trunkline-realm.json})
     * @param dashboardOrigin the dashboard's origin, added to the dashboard client's redirect URIs
     * @param log             where Keycloak's output goes
     */
    static KeycloakServer start(Path realmExport, String dashboardOrigin, Path log) {
        Path home = Path.of(System.getProperty("trunkline.keycloak.home", "target/keycloak-26.7.3")).toAbsolutePath();
        Path kc = home.resolve("bin/kc.sh");
        if (!Files.isExecutable(kc)) {
            throw new IllegalStateException(kc + " is missing: the build unpacks org.keycloak:keycloak-quarkus-dist before the "
                    + "integration tests (./mvnw verify -pl e2e-tests)");
        }
        try {
            Path data = home.resolve("data");
            deleteRecursively(data); // only this run's realms are imported, with this run's redirect URIs
            Path imports = Files.createDirectories(data.resolve("import"));
            ObjectNode realm = (ObjectNode) JSON.readTree(realmExport.toFile());
            for (JsonNode client : realm.withArray("clients")) {
                if (client.path("publicClient").asBoolean()) {
                    ((ArrayNode) client.withArray("redirectUris")).add(dashboardOrigin + "/*");
                }
            }
            Files.writeString(imports.resolve(REALM + "-realm.json"), JSON.writeValueAsString(realm));
            String otherSecret = "elsewhere-secret";
            Files.writeString(imports.resolve(OTHER_REALM + "-realm.json"), otherRealm(realm, otherSecret));
            String machineSecret = machineSecret(realm);

            int port = FreePorts.pick();
            Files.createDirectories(log.getParent());
            // an in-memory database: nothing to clean up, no disk writes while the schema is made; a build option,
            // so the first start builds Keycloak with it (~30 s) and later ones reuse that build
            ProcessBuilder builder = new ProcessBuilder(kc.toString(), "start-dev", "--db=dev-mem", "--http-host=127.0.0.1",
                    "--http-port=" + port, "--http-management-port=" + FreePorts.pick(), "--import-realm")
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
            builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin");
            builder.environment().put("JAVA_OPTS_KC_HEAP", "-Xms64m -Xmx512m");
            // a short-lived server on two shared cores: the C1 compiler alone spends less CPU starting up
            builder.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
            return new KeycloakServer(port, builder.start(), log, Map.of(REALM, machineSecret, OTHER_REALM, otherSecret));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Keycloak", e);
        }
    }

    /**
     * A realm of its own with the same client name, audience mapper, role and demo user as the export: only its
     * issuer (and keys) differ.
     */
    private static String otherRealm(ObjectNode trunkline, String secret) throws IOException {
        ObjectNode machine = null;
        for (JsonNode client : trunkline.withArray("clients")) {
            if (client.path("clientId").asText().equals(MACHINE_CLIENT)) {
                machine = ((ObjectNode) client).deepCopy();
            }
        }
        if (machine == null) {
            throw new IllegalStateException("the realm export has no client " + MACHINE_CLIENT);
        }
        machine.put("secret", secret);
        ObjectNode realm = JSON.createObjectNode().put("realm", OTHER_REALM).put("enabled", true).put("sslRequired", "external");
        realm.putObject("roles").putArray("realm").addObject().put("name", "admin");
        ObjectNode user = realm.putArray("users").addObject().put("username", "admin").put("enabled", true)
                .put("email", "admin@elsewhere.example").put("emailVerified", true).put("firstName", "Other").put("lastName", "Admin");
        user.putArray("credentials").addObject().put("type", "password").put("value", "admin").put("temporary", false);
        user.putArray("realmRoles").add("admin");
        realm.putArray("clients").add(machine);
        return JSON.writeValueAsString(realm);
    }

    private static String machineSecret(ObjectNode realm) {
        for (JsonNode client : realm.withArray("clients")) {
            if (client.path("clientId").asText().equals(MACHINE_CLIENT)) {
                return client.path("secret").asText();
            }
        }
        throw new IllegalStateException("the realm export has no client " + MACHINE_CLIENT);
    }

    /** Waits until the realm's discovery document is served; fails with the end of Keycloak's log. */
    void awaitReady(Duration timeout) {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer(OTHER_REALM) + "/.well-known/openid-configuration"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(IOException.class).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + process.exitValue() + ":\n" + tail());
                }
                return client.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("Keycloak not ready after " + timeout + ":\n" + tail(), e);
        }
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The issuer URL of {@code realm}, what TRUNKLINE_OIDC_URL names. */
    String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** An access token of a demo user of {@code realm}: the password grant of the machine client. */
    String passwordToken(String realm, String username, String password) {
        return token(realm, Map.of("grant_type", "password", "client_id", MACHINE_CLIENT,
                "client_secret", machineSecrets.get(realm), "username", username, "password", password));
    }

    /** An access token of the machine client itself (its service account): the client credentials grant. */
    String clientCredentialsToken(String realm) {
        return token(realm, Map.of("grant_type", "client_credentials", "client_id", MACHINE_CLIENT,
                "client_secret", machineSecrets.get(realm)));
    }

    private String token(String realm, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest request = HttpRequest.newBuilder(URI.create(issuer(realm) + "/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                // the error only: an answer of the token endpoint is never logged whole
                throw new IllegalStateException("Keycloak refused the " + form.get("grant_type") + " grant of realm " + realm
                        + ": " + response.statusCode() + " " + JSON.readTree(response.body()).path("error"));
            }
            return JSON.readTree(response.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM to Keycloak (kc.sh execs its JVM), SIGKILL after 15 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
