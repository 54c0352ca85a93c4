package io.trunkline.bench;

import io.trunkline.infra.postgres.PostgresServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What each service's database did: statements executed (pg_stat_statements, nested ones such as foreign-key
 * checks included) and transactions committed or rolled back (pg_stat_database), read as counters so that two
 * readings give a window's work. The server runs with pg_stat_statements for the benchmark only
 * ({@link PostgresServer#STATEMENT_STATS_ENV}).
 */
final class DatabaseWork {

    private final String adminUrl;
    private final List<String> databases;

    /**
     * @param postgresUrl the server's JDBC URL without a database ({@code jdbc:postgresql://host:port/})
     * @param databases   the databases to count
     */
    DatabaseWork(String postgresUrl, List<String> databases) {
        this.adminUrl = postgresUrl + "postgres";
        this.databases = List.copyOf(databases);
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot enable pg_stat_statements", e);
        }
    }

    /** The counters now, per database. */
    Map<String, Counts> read() {
        Map<String, Counts> counts = new TreeMap<>();
        try (Connection connection = connect(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("""
                        SELECT d.datname, COALESCE(s.calls, 0), d.xact_commit + d.xact_rollback
                        FROM pg_stat_database d
                        LEFT JOIN (SELECT dbid, sum(calls) AS calls FROM pg_stat_statements GROUP BY dbid) s
                               ON s.dbid = d.datid""")) {
            while (rows.next()) {
                String database = rows.getString(1); // null for the row of shared objects
                if (database != null && databases.contains(database)) {
                    counts.put(database, new Counts(rows.getLong(2), rows.getLong(3)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database counters", e);
        }
        return counts;
    }

    /**
     * The {@code limit} statements run most often since the server started, as a Markdown table: database,
     * calls, mean time, the normalised text (shortened).
     */
    String mostFrequent(int limit) {
        StringBuilder table = new StringBuilder("| database | calls | mean ms | statement |\n| --- | --- | --- | --- |\n");
        try (Connection connection = connect(); var statement = connection.prepareStatement("""
                SELECT d.datname, s.calls, s.mean_exec_time, left(regexp_replace(s.query, '\\s+', ' ', 'g'), 160)
                FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname = ANY (?)
                ORDER BY s.calls DESC LIMIT ?""")) {
            statement.setArray(1, connection.createArrayOf("text", databases.toArray()));
            statement.setInt(2, limit);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    table.append(String.format(java.util.Locale.ROOT, "| %s | %d | %.3f | `%s` |%n", rows.getString(1),
                            rows.getLong(2), rows.getDouble(3), rows.getString(4).replace("|", "\\|").replace("`", "'")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read pg_stat_statements", e);
        }
        return table.toString();
    }

    /** What happened between two readings, per database. */
    static Map<String, Counts> between(Map<String, Counts> before, Map<String, Counts> after) {
        Map<String, Counts> used = new TreeMap<>();
        after.forEach((database, end) -> {
            Counts start = before.getOrDefault(database, new Counts(0, 0));
            used.put(database, new Counts(end.statements() - start.statements(), end.transactions() - start.transactions()));
        });
        return used;
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(adminUrl, PostgresServer.USER, PostgresServer.PASSWORD);
    }

    /** Statements executed and transactions ended. */
    record Counts(long statements, long transactions) {
    }
}
