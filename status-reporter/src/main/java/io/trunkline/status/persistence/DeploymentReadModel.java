package io.trunkline.status.persistence;

import static io.trunkline.commons.persistence.Timestamps.instant;
import static io.trunkline.commons.persistence.Timestamps.utc;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentState;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.events.ScmProvider;
import io.trunkline.status.service.DeploymentDetails;
import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keeps the {@link Deployment} rows and their timelines up to date with the state events, and reads them back.
 * Plain SQL on the transaction's connection (the pool hands the one enlisted in it): three statements per event
 * (claim and lock, save, timeline and change notification).
 */
@ApplicationScoped
public class DeploymentReadModel {

    /** The PostgreSQL notification channel a changed deployment's id is sent on, once its transaction commits. */
    public static final String CHANGE_CHANNEL = "trunkline_deployment_changed";

    /** Claims the event for the consumer and reads the deployment locked, in one round trip. */
    private static final String CLAIM_AND_LOCK = """
            WITH claim AS (
                INSERT INTO processed_event (consumer, event_id) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING event_id)
            SELECT EXISTS (SELECT 1 FROM claim) AS claimed, d.*
            FROM (SELECT 1) AS one
            LEFT JOIN LATERAL (SELECT %s FROM deployment WHERE id = ? FOR UPDATE) AS d ON true""".formatted(Deployment.COLUMNS);

    /** The deployment as {@link #apply} computed it, its row locked (or not there yet). */
    private static final String SAVE = """
            INSERT INTO deployment (id, provider, workspace, slug, environment, commit_hash, operation,
                pull_request_id, state, reason, created_at, updated_at, ref_name, environment_url, target_url,
                verification, triggered_by)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET commit_hash = EXCLUDED.commit_hash,
                pull_request_id = EXCLUDED.pull_request_id, state = EXCLUDED.state, reason = EXCLUDED.reason,
                updated_at = EXCLUDED.updated_at, ref_name = EXCLUDED.ref_name,
                environment_url = EXCLUDED.environment_url, target_url = EXCLUDED.target_url,
                verification = EXCLUDED.verification, triggered_by = EXCLUDED.triggered_by""";

    private static final String TIMELINE_AND_NOTIFY = """
            WITH entry AS (
                INSERT INTO deployment_event (event_id, deployment_id, state, reason, occurred_at, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?) RETURNING deployment_id)
            SELECT pg_notify('%s', deployment_id::text) FROM entry""".formatted(CHANGE_CHANNEL);

    private static final String FIND = "SELECT %s FROM deployment WHERE id = ?".formatted(Deployment.COLUMNS);

    private static final String TIMELINE = """
            SELECT event_id, deployment_id, state, reason, occurred_at, recorded_at FROM deployment_event
            WHERE deployment_id = ? ORDER BY occurred_at, recorded_at""";

    private final AgroalDataSource dataSource;

    public DeploymentReadModel(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Claims the event for {@code consumer} (a redelivered event is not applied twice), adds it to the
     * deployment's timeline and makes its state the current one, creating the deployment on its first event.
     * A final state (succeeded, failed, ...) is never replaced by a non-final one that arrives late: such an
     * event only joins the timeline. Every instance's live feed hears of the change once the transaction commits.
     *
     * What {@code details} adds (ref, links, trigger) is kept; a later event's link replaces an earlier one.
     *
     * @return the deployment, and whether the event's state is now its current state; empty when
     *         {@code consumer} had applied the event already
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<Applied> apply(String consumer, DeploymentStateChanged event, DeploymentDetails details) {
        try (Connection connection = dataSource.getConnection()) {
            Optional<Optional<Deployment>> found = claimAndLock(connection, consumer, event);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            Deployment deployment = found.get().orElse(null);
            boolean current;
            if (deployment == null) {
                deployment = new Deployment();
                deployment.id = event.deploymentId();
                deployment.provider = event.repository().provider();
                deployment.workspace = event.repository().workspace();
                deployment.slug = event.repository().slug();
                deployment.environment = event.environment();
                deployment.commit = event.commit();
                deployment.operation = event.operation() == null ? DeploymentOperation.DEPLOY : event.operation();
                deployment.pullRequestId = event.pullRequestId();
                deployment.createdAt = event.occurredAt();
                becomes(deployment, event);
                current = true;
            } else if (deployment.state.isFinal() && !event.state().isFinal()) {
                current = false;
            } else {
                becomes(deployment, event);
                current = true;
            }
            if (current && event.verification() != null) {
                deployment.verification = VerificationJson.write(event.verification());
            }
            learn(deployment, details);
            save(connection, deployment);
            addToTimeline(connection, event);
            return Optional.of(new Applied(deployment, current));
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not apply event " + event.eventId() + " to deployment "
                    + event.deploymentId(), e);
        }
    }

    /** The deployment as it now is; empty when no event of it has been applied. */
    public Optional<Deployment> find(UUID id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(FIND)) {
            statement.setObject(1, id);
            try (ResultSet row = statement.executeQuery()) {
                return row.next() ? Optional.of(Deployment.read(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read deployment " + id, e);
        }
    }

    /** The timeline of a deployment, oldest first. */
    public List<DeploymentTimelineEntry> timeline(UUID deploymentId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(TIMELINE)) {
            statement.setObject(1, deploymentId);
            List<DeploymentTimelineEntry> timeline = new ArrayList<>();
            try (ResultSet row = statement.executeQuery()) {
                while (row.next()) {
                    timeline.add(new DeploymentTimelineEntry(row.getObject("event_id", UUID.class),
                            row.getObject("deployment_id", UUID.class), DeploymentState.valueOf(row.getString("state")),
                            row.getString("reason"), instant(row, "occurred_at"), instant(row, "recorded_at")));
                }
            }
            return timeline;
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read the timeline of deployment " + deploymentId, e);
        }
    }

    /** The deployment as it now is, and whether the event's state became its current state. */
    public record Applied(Deployment deployment, boolean current) {
    }

    private static void learn(Deployment deployment, DeploymentDetails details) {
        if (details.refName() != null) {
            deployment.refName = details.refName();
        }
        if (details.environmentUrl() != null) {
            deployment.environmentUrl = details.environmentUrl();
        }
        if (details.targetUrl() != null) {
            deployment.targetUrl = details.targetUrl();
        }
        if (deployment.triggeredBy == null) {
            deployment.triggeredBy = details.triggeredBy();
        }
    }

    private static void becomes(Deployment deployment, DeploymentStateChanged event) {
        deployment.state = event.state();
        deployment.reason = event.reason();
        deployment.updatedAt = event.occurredAt();
        if (deployment.commit == null) {
            deployment.commit = event.commit();
        }
        if (deployment.pullRequestId == null) {
            deployment.pullRequestId = event.pullRequestId();
        }
    }

    /** Empty when the event was claimed before; else the deployment, locked, or empty when it has no row yet. */
    private static Optional<Optional<Deployment>> claimAndLock(Connection connection, String consumer,
            DeploymentStateChanged event) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(CLAIM_AND_LOCK)) {
            statement.setString(1, consumer);
            statement.setObject(2, event.eventId());
            statement.setObject(3, event.deploymentId());
            try (ResultSet row = statement.executeQuery()) {
                row.next();
                if (!row.getBoolean("claimed")) {
                    return Optional.empty();
                }
                return Optional.of(row.getObject("id") == null ? Optional.empty() : Optional.of(Deployment.read(row)));
            }
        }
    }

    private static void save(Connection connection, Deployment deployment) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SAVE)) {
            statement.setObject(1, deployment.id);
            statement.setString(2, deployment.provider.id());
            statement.setString(3, deployment.workspace);
            statement.setString(4, deployment.slug);
            statement.setString(5, deployment.environment);
            statement.setString(6, deployment.commit);
            statement.setString(7, deployment.operation.name());
            setLong(statement, 8, deployment.pullRequestId);
            statement.setString(9, deployment.state.name());
            statement.setString(10, deployment.reason);
            setInstant(statement, 11, deployment.createdAt);
            setInstant(statement, 12, deployment.updatedAt);
            statement.setString(13, deployment.refName);
            statement.setString(14, deployment.environmentUrl);
            statement.setString(15, deployment.targetUrl);
            statement.setString(16, deployment.verification);
            statement.setString(17, deployment.triggeredBy);
            statement.executeUpdate();
        }
    }

    private static void addToTimeline(Connection connection, DeploymentStateChanged event) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(TIMELINE_AND_NOTIFY)) {
            statement.setObject(1, event.eventId());
            statement.setObject(2, event.deploymentId());
            statement.setString(3, event.state().name());
            statement.setString(4, event.reason());
            setInstant(statement, 5, event.occurredAt());
            setInstant(statement, 6, Instant.now());
            statement.executeQuery().close();
        }
    }

    private static void setInstant(PreparedStatement statement, int index, Instant value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            statement.setObject(index, utc(value));
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }
}
