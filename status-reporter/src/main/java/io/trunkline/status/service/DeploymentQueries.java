package io.trunkline.status.service;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.DeploymentState;
import io.trunkline.status.persistence.Deployment;
import io.trunkline.status.persistence.DeploymentReadModel;
import io.trunkline.status.persistence.VerificationJson;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** The deployment read model as the ops API reads it: filtered, newest first, a cursor per page. */
@ApplicationScoped
public class DeploymentQueries {

    /** The most deployments one page holds. */
    public static final int MAX_LIMIT = 200;

    private final AgroalDataSource dataSource;
    private final DeploymentReadModel readModel;

    public DeploymentQueries(AgroalDataSource dataSource, DeploymentReadModel readModel) {
        this.dataSource = dataSource;
        this.readModel = readModel;
    }

    /** Deployments matching {@code filter}, newest first, after the cursor {@code after} (null for the first page). */
    public DeploymentPage list(DeploymentFilter filter, String after, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        StringBuilder sql = new StringBuilder("SELECT %s FROM deployment WHERE 1 = 1".formatted(Deployment.COLUMNS));
        List<Object> parameters = new ArrayList<>();
        filter.repository().ifPresent(repository -> {
            sql.append(" AND workspace = ? AND slug = ?");
            parameters.add(repository.workspace());
            parameters.add(repository.slug());
        });
        filter.environment().ifPresent(environment -> {
            sql.append(" AND environment = ?");
            parameters.add(environment);
        });
        if (!filter.states().isEmpty()) {
            sql.append(" AND state IN (").append(String.join(", ", filter.states().stream().map(state -> "?").toList()))
                    .append(")");
            filter.states().stream().map(DeploymentState::name).forEach(parameters::add);
        }
        filter.since().ifPresent(since -> {
            sql.append(" AND created_at >= ?");
            parameters.add(since.atOffset(ZoneOffset.UTC));
        });
        if (after != null) {
            Cursor cursor = Cursor.decode(after);
            sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
            parameters.add(cursor.createdAt().atOffset(ZoneOffset.UTC));
            parameters.add(cursor.createdAt().atOffset(ZoneOffset.UTC));
            parameters.add(cursor.id());
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        parameters.add(limit + 1);
        List<Deployment> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(sql.toString())) {
            for (int i = 0; i < parameters.size(); i++) {
                select.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    rows.add(Deployment.read(row));
                }
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not list deployments", e);
        }
        List<DeploymentView> items = new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())).stream()
                .map(DeploymentView::of).toList());
        String next = rows.size() > limit ? new Cursor(rows.get(limit - 1).createdAt, rows.get(limit - 1).id).encode()
                : null;
        return new DeploymentPage(items, next);
    }

    /** The deployment with its timeline and reporting. */
    public DeploymentDetailView find(UUID id) {
        Deployment deployment = readModel.find(id).orElseThrow(() -> new DeploymentNotFoundException(id));
        List<DeploymentDetailView.TimelineEntry> timeline = readModel.timeline(id).stream()
                .map(entry -> new DeploymentDetailView.TimelineEntry(entry.state(), entry.reason(), entry.occurredAt()))
                .toList();
        // the updates Bitbucket has yet to take, oldest first: how many, and the latest error among them
        int pending = 0;
        String lastError = null;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT last_error FROM bitbucket_delivery WHERE deployment_id = ? ORDER BY id")) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    pending++;
                    String error = row.getString("last_error");
                    if (error != null) {
                        lastError = error;
                    }
                }
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read the Bitbucket updates of deployment " + id, e);
        }
        String status = deployment.reportRefusal != null ? "refused" : pending == 0 ? "reported" : "pending";
        return new DeploymentDetailView(DeploymentView.of(deployment), timeline,
                new DeploymentDetailView.Reporting(status, pending, lastError, deployment.reportRefusal,
                        deployment.reportRefusedAt), VerificationJson.read(deployment.verification));
    }

    /** Where a page ends: the last deployment's creation time and id, opaque to clients. */
    record Cursor(Instant createdAt, UUID id) {

        String encode() {
            String plain = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id;
            return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
        }

        static Cursor decode(String text) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8).split("\\.", 3);
                return new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])),
                        UUID.fromString(parts[2]));
            } catch (RuntimeException e) {
                throw new InvalidQueryException("after", "is not a cursor this API handed out");
            }
        }
    }
}
