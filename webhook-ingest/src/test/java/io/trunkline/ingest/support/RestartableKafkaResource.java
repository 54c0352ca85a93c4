package io.trunkline.ingest.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.trunkline.infra.test.TestServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Points the application at a broker of its own, which the test receives in a {@link RestartableKafka}
 * field to stop and start, and at the shared PostgreSQL: the broker the other tests share keeps running.
 */
public class RestartableKafkaResource implements QuarkusTestResourceLifecycleManager {

    private Path dataDir;
    private RestartableKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            dataDir = Files.createTempDirectory("webhook-ingest-own-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        kafka = new RestartableKafka(dataDir).start();
        TestServers servers = TestServers.get();
        return Map.of(
                "kafka.bootstrap.servers", kafka.bootstrapServers(),
                "quarkus.datasource.jdbc.url", servers.database("webhook_ingest"),
                "quarkus.datasource.username", servers.postgresUser(),
                "quarkus.datasource.password", servers.postgresPassword());
    }

    @Override
    public void inject(TestInjector testInjector) {
        testInjector.injectIntoFields(kafka, field -> field.getType() == RestartableKafka.class);
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (dataDir != null) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind does not fail the run
            }
        }
    }
}
