package io.trunkline.infra.test;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * Points a {@code @QuarkusTest} at the real broker and database of {@link TestServers}.
 * Init arg {@code database}: the service's own database, created on first use.
 */
public class KafkaAndPostgresTestResource implements QuarkusTestResourceLifecycleManager {

    private String database = "trunkline";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        TestServers servers = TestServers.get();
        return Map.of(
                "kafka.bootstrap.servers", servers.bootstrapServers(),
                "quarkus.datasource.jdbc.url", servers.database(database),
                "quarkus.datasource.username", servers.postgresUser(),
                "quarkus.datasource.password", servers.postgresPassword());
    }

    @Override
    public void stop() {
        // shared by every test class of the JVM; TestServers stops them at exit
    }
}
