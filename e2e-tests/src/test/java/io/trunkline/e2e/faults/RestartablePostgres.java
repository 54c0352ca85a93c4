package io.trunkline.e2e.faults;

import io.trunkline.infra.kafka.FreePorts;
import io.trunkline.infra.postgres.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The suite's own PostgreSQL with the four services' databases: stopped and started again on the
 * same data directory and port, so a restart loses nothing but the open connections.
 */
final class RestartablePostgres implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RestartablePostgres.class);
    static final List<String> DATABASES = List.of("webhook_ingest", "promotion_service", "deploy_service", "status_reporter");

    private final Path dataDir;
    private final int port = FreePorts.pick();
    private PostgresServer server;

    private RestartablePostgres(Path dataDir) {
        this.dataDir = dataDir;
    }

    static RestartablePostgres start(Path dataDir) {
        RestartablePostgres postgres = new RestartablePostgres(dataDir);
        postgres.start();
        DATABASES.forEach(postgres.server::createDatabaseIfMissing);
        return postgres;
    }

    synchronized void start() {
        if (server == null) {
            server = PostgresServer.start(dataDir, port);
            LOG.infof("PostgreSQL listening on 127.0.0.1:%d", port);
        }
    }

    synchronized void stop() {
        if (server != null) {
            server.close();
            server = null;
            LOG.infof("PostgreSQL on 127.0.0.1:%d stopped", port);
        }
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    /** The JDBC URL of the service's database, e.g. {@code deploy-service} → {@code deploy_service}. */
    String jdbcUrl(String service) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + service.replace('-', '_');
    }

    @Override
    public void close() {
        stop();
    }
}
