package io.trunkline.status.service;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.status.config.StatusReporterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Computes the DORA figures in SQL over the deployment read model (definitions in the README).
 * Deployments counted are {@code deploy} operations (not teardowns) of one environment name; a
 * deployment's time is when it entered its final state.
 */
@ApplicationScoped
public class DoraMetrics {

    /** The longest period the figures may cover, in days. */
    public static final int MAX_DAYS = 366;

    /** A named parameter ({@code :from}) of the statements below. */
    private static final Pattern PARAMETER = Pattern.compile(":([a-zA-Z]+)");

    private final AgroalDataSource dataSource;
    private final StatusReporterConfig.Dora config;

    public DoraMetrics(AgroalDataSource dataSource, StatusReporterConfig config) {
        this.dataSource = dataSource;
        this.config = config.dora();
    }

    public DoraReport report(Optional<RepositoryName> repository, String environment, Optional<Integer> days, Instant now) {
        int period = days.orElse(config.defaultDays());
        if (period < 1 || period > MAX_DAYS) {
            throw new InvalidQueryException("days", "must be between 1 and " + MAX_DAYS);
        }
        LocalDate lastDay = now.atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate firstDay = lastDay.minusDays(period - 1L);
        Instant from = firstDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = lastDay.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Scope scope = new Scope(repository, environment, from, to);

        try (Connection connection = dataSource.getConnection()) {
            return report(connection, scope, period, firstDay, lastDay);
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not compute the DORA figures of " + environment, e);
        }
    }

    private DoraReport report(Connection connection, Scope scope, int period, LocalDate firstDay, LocalDate lastDay)
            throws SQLException {
        Object[] lead = single(connection, scope, """
                SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY lead_seconds),
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY lead_seconds)
                FROM lead_times""");
        long successes = number(lead[0]);
        Object[] failure = single(connection, scope, """
                SELECT count(*), count(*) FILTER (WHERE failed_change) FROM changes""");
        Object[] restore = single(connection, scope, """
                SELECT count(*), count(restored_at),
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM restored_at - at))
                FROM incidents""");
        long changes = number(failure[0]);
        long failedChanges = number(failure[1]);

        return new DoraReport(scope.repository().map(RepositoryName::toString).orElse(null), scope.environment(), period,
                scope.from(), scope.to(),
                new DoraReport.DeploymentFrequency(successes, round((double) successes / period)),
                new DoraReport.LeadTime(successes, decimal(lead[1]), decimal(lead[2])),
                new DoraReport.ChangeFailureRate(changes, failedChanges,
                        changes == 0 ? null : round((double) failedChanges / changes)),
                new DoraReport.TimeToRestore(number(restore[0]), number(restore[1]), decimal(restore[2])),
                daily(connection, scope, firstDay, lastDay));
    }

    private List<DoraReport.Day> daily(Connection connection, Scope scope, LocalDate firstDay, LocalDate lastDay)
            throws SQLException {
        Map<String, Object> parameters = parameters(scope);
        parameters.put("firstDay", firstDay.toString());
        parameters.put("lastDay", lastDay.toString());
        List<DoraReport.Day> days = new ArrayList<>();
        try (PreparedStatement query = prepare(connection, ctes(scope) + """
                SELECT CAST(day AS text),
                       (SELECT count(*) FROM lead_times l WHERE l.day = d.day),
                       (SELECT count(*) FROM finished f WHERE f.state = 'FAILED' AND f.at >= :from AND f.at < :to
                            AND CAST(f.at AT TIME ZONE 'UTC' AS date) = d.day),
                       (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY l.lead_seconds) FROM lead_times l
                            WHERE l.day = d.day)
                FROM (SELECT CAST(generate_series(CAST(:firstDay AS date), CAST(:lastDay AS date), interval '1 day') AS date)
                      AS day) d
                ORDER BY day""", parameters);
                ResultSet row = query.executeQuery()) {
            while (row.next()) {
                days.add(new DoraReport.Day(LocalDate.parse(row.getString(1)), number(row.getObject(2)),
                        number(row.getObject(3)), decimal(row.getObject(4))));
            }
        }
        return days;
    }

    private Object[] single(Connection connection, Scope scope, String select) throws SQLException {
        try (PreparedStatement query = prepare(connection, ctes(scope) + select, parameters(scope));
                ResultSet row = query.executeQuery()) {
            row.next();
            Object[] values = new Object[row.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getObject(i + 1);
            }
            return values;
        }
    }

    /** {@code sql} with each named parameter bound to its value, in the order they occur. */
    private static PreparedStatement prepare(Connection connection, String sql, Map<String, Object> parameters)
            throws SQLException {
        List<Object> values = new ArrayList<>();
        Matcher parameter = PARAMETER.matcher(sql);
        StringBuilder positional = new StringBuilder();
        while (parameter.find()) {
            if (!parameters.containsKey(parameter.group(1))) {
                throw new IllegalStateException("no value for :" + parameter.group(1));
            }
            values.add(parameters.get(parameter.group(1)));
            parameter.appendReplacement(positional, "?");
        }
        parameter.appendTail(positional);
        PreparedStatement statement = connection.prepareStatement(positional.toString());
        try {
            for (int i = 0; i < values.size(); i++) {
                statement.setObject(i + 1, values.get(i));
            }
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /**
     * The common table expressions every figure reads: {@code finished} (the environment's finished
     * deployments of all time), {@code lead_times} (successes in the period with their lead time),
     * {@code changes} (finished deployments in the period, marked when they are failed changes) and
     * {@code incidents} (failures in the period that broke a working environment, with when it was restored).
     */
    private String ctes(Scope scope) {
        String repository = scope.repository().isPresent() ? " AND d.workspace = :workspace AND d.slug = :slug" : "";
        long windowSeconds = config.failureWindow().toSeconds();
        return """
                WITH finished AS (
                    SELECT d.id, d.provider, d.workspace, d.slug, d.environment, d.commit_hash, d.state,
                           d.updated_at AS at
                    FROM deployment d
                    WHERE d.environment = :environment AND d.operation = 'DEPLOY' AND d.state IN ('SUCCEEDED', 'FAILED')
                      {repository}
                ),
                lead_times AS (
                    SELECT f.id, CAST(f.at AT TIME ZONE 'UTC' AS date) AS day,
                           EXTRACT(EPOCH FROM f.at - COALESCE(
                               (SELECT p.pushed_at FROM commit_push p WHERE p.provider = f.provider
                                    AND p.workspace = f.workspace AND p.slug = f.slug AND p.commit_hash = f.commit_hash),
                               (SELECT min(s.created_at) FROM deployment s WHERE s.provider = f.provider
                                    AND s.workspace = f.workspace AND s.slug = f.slug AND s.commit_hash = f.commit_hash)))
                               AS lead_seconds
                    FROM finished f
                    WHERE f.state = 'SUCCEEDED' AND f.at >= :from AND f.at < :to
                ),
                changes AS (
                    SELECT f.id, f.state = 'FAILED' OR EXISTS (
                        SELECT 1 FROM finished n
                        WHERE n.provider = f.provider AND n.workspace = f.workspace AND n.slug = f.slug
                          AND n.at > f.at AND n.at <= f.at + make_interval(secs => {window})
                          AND (n.state = 'FAILED' OR EXISTS (
                                SELECT 1 FROM finished o
                                WHERE o.provider = f.provider AND o.workspace = f.workspace AND o.slug = f.slug
                                  AND o.state = 'SUCCEEDED' AND o.at < f.at AND o.commit_hash = n.commit_hash
                                  AND o.commit_hash <> f.commit_hash))) AS failed_change
                    FROM finished f
                    WHERE f.at >= :from AND f.at < :to
                ),
                incidents AS (
                    SELECT m.at, (SELECT min(s.at) FROM finished s
                                  WHERE s.provider = m.provider AND s.workspace = m.workspace AND s.slug = m.slug
                                    AND s.state = 'SUCCEEDED' AND s.at > m.at) AS restored_at
                    FROM (SELECT f.*, lag(f.state) OVER (PARTITION BY f.provider, f.workspace, f.slug ORDER BY f.at, f.id)
                              AS previous_state
                          FROM finished f) m
                    WHERE m.state = 'FAILED' AND (m.previous_state IS NULL OR m.previous_state = 'SUCCEEDED')
                      AND m.at >= :from AND m.at < :to
                )
                """.replace("{repository}", repository).replace("{window}", Long.toString(windowSeconds));
    }

    private static Map<String, Object> parameters(Scope scope) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("environment", scope.environment());
        parameters.put("from", scope.from().atOffset(ZoneOffset.UTC));
        parameters.put("to", scope.to().atOffset(ZoneOffset.UTC));
        scope.repository().ifPresent(repository -> {
            parameters.put("workspace", repository.workspace());
            parameters.put("slug", repository.slug());
        });
        return parameters;
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static Double decimal(Object value) {
        return value == null ? null : round(((Number) value).doubleValue());
    }

    private static double round(double value) {
        return Math.round(value * 10_000) / 10_000.0;
    }

    private record Scope(Optional<RepositoryName> repository, String environment, Instant from, Instant to) {
    }
}
