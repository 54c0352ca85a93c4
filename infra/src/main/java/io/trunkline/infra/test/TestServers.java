package io.trunkline.infra.test;

import io.trunkline.infra.kafka.KafkaBroker;
import io.trunkline.infra.postgres.PostgresServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Comparator;
import java.util.stream.Stream;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The real Kafka broker and PostgreSQL server the tests of one JVM share, started on first use
 * and stopped when the JVM exits. Where to find them, in order:
 * <ol>
 *   <li>{@code TRUNKLINE_TEST_KAFKA_BOOTSTRAP_SERVERS} and {@code TRUNKLINE_TEST_POSTGRES_URL}
 *       (a JDBC URL without database, e.g. {@code jdbc:postgresql://127.0.0.1:5432/}, with
 *       {@code TRUNKLINE_TEST_POSTGRES_USER} and {@code TRUNKLINE_TEST_POSTGRES_PASSWORD}): servers already running;</li>
 *   <li>a Docker engine: Testcontainers' Kafka (KRaft) and PostgreSQL modules;</li>
 *   <li>otherwise a Kafka broker in this JVM and an embedded PostgreSQL process.</li>
 * </ol>
 */
public final class TestServers {

    private static TestServers instance;

    private final String bootstrapServers;
    private final String postgresBaseUrl;
    private final String postgresUser;
    private final String postgresPassword;

    private TestServers(String bootstrapServers, String postgresBaseUrl, String postgresUser, String postgresPassword) {
        this.bootstrapServers = bootstrapServers;
        this.postgresBaseUrl = postgresBaseUrl;
        this.postgresUser = postgresUser;
        this.postgresPassword = postgresPassword;
    }

    public static synchronized TestServers get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static TestServers start() {
        String externalKafka = System.getenv("TRUNKLINE_TEST_KAFKA_BOOTSTRAP_SERVERS");
        String externalPostgres = System.getenv("TRUNKLINE_TEST_POSTGRES_URL");
        if (externalKafka != null && externalPostgres != null) {
            return new TestServers(externalKafka, externalPostgres,
                    envOr("TRUNKLINE_TEST_POSTGRES_USER", "postgres"), envOr("TRUNKLINE_TEST_POSTGRES_PASSWORD", "postgres"));
        }
        if (dockerAvailable()) {
            return startContainers();
        }
        return startLocal();
    }

    private static boolean dockerAvailable() {
        if (System.getenv("DOCKER_HOST") == null && !Files.exists(Path.of("/var/run/docker.sock"))) {
            return false; // spares the Testcontainers probe and its error log where no engine can be
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static TestServers startContainers() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.1")
                .withEnv("KAFKA_GROUP_COORDINATOR_APPEND_LINGER_MS", "0")
                .withEnv("KAFKA_NUM_PARTITIONS", "6");
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:16-alpine");
        kafka.start();
        postgres.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.stop();
            postgres.stop();
        }, "test-containers-stop"));
        String url = postgres.getJdbcUrl();
        String baseUrl = url.substring(0, url.lastIndexOf('/') + 1);
        return new TestServers(kafka.getBootstrapServers(), baseUrl, postgres.getUsername(), postgres.getPassword());
    }

    private static TestServers startLocal() {
        try {
            Path kafkaDir = Files.createTempDirectory("trunkline-test-kafka");
            KafkaBroker broker = KafkaBroker.start(kafkaDir, 0, 0);
            PostgresServer postgres = PostgresServer.start(null, 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                broker.close();
                postgres.close();
                deleteRecursively(kafkaDir);
            }, "test-servers-stop"));
            return new TestServers(broker.bootstrapServers(), "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/",
                    PostgresServer.USER, PostgresServer.PASSWORD);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is not worth failing a test run for
        }
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String postgresUser() {
        return postgresUser;
    }

    public String postgresPassword() {
        return postgresPassword;
    }

    /** The JDBC URL of the administrative database, {@code postgres}. */
    public String adminUrl() {
        return postgresBaseUrl + "postgres";
    }

    /** The JDBC URL of {@code database}, created if it does not exist yet. */
    public String database(String database) {
        PostgresServer.createDatabaseIfMissing(
                () -> DriverManager.getConnection(adminUrl(), postgresUser, postgresPassword), database);
        return postgresBaseUrl + database;
    }
}
