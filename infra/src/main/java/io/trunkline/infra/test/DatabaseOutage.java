package io.trunkline.infra.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database outage for one service's database without stopping the shared server: new
 * connections are refused ({@code ALLOW_CONNECTIONS false}) and the open ones are terminated, as a
 * restart of PostgreSQL would do to that service. {@link #close()} ends the outage.
 */
public final class DatabaseOutage implements AutoCloseable {

    private final TestServers servers;
    private final String database;

    private DatabaseOutage(TestServers servers, String database) {
        this.servers = servers;
        this.database = database;
    }

    /** Starts the outage of {@code database} on the shared test server. */
    public static DatabaseOutage begin(String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        DatabaseOutage outage = new DatabaseOutage(TestServers.get(), database);
        outage.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false",
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid()");
        return outage;
    }

    /** Ends the outage: the service's connection pool can connect again. */
    @Override
    public void close() {
        execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
    }

    private void execute(String... statements) {
        try (Connection admin = DriverManager.getConnection(servers.adminUrl(), servers.postgresUser(),
                servers.postgresPassword()); Statement statement = admin.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot change the availability of " + database, e);
        }
    }
}
