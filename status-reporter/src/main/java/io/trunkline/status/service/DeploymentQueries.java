package io.trunkline.status.service;

import io.trunkline.status.persistence.BitbucketDelivery;
import io.trunkline.status.persistence.Deployment;
import io.trunkline.status.persistence.VerificationJson;
import io.trunkline.status.persistence.DeploymentTimelineEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The deployment read model as the ops API reads it: filtered, newest first, a cursor per page. */
@ApplicationScoped
public class DeploymentQueries {

    /** The most deployments one page holds. */
    public static final int MAX_LIMIT = 200;

    private final EntityManager entityManager;

    public DeploymentQueries(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Deployments matching {@code filter}, newest first, after the cursor {@code after} (null for the first page). */
    public DeploymentPage list(DeploymentFilter filter, String after, int limit) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidQueryException("limit", "must be between 1 and " + MAX_LIMIT);
        }
        StringBuilder jpql = new StringBuilder("FROM Deployment d WHERE 1 = 1");
        Map<String, Object> parameters = new HashMap<>();
        filter.repository().ifPresent(repository -> {
            jpql.append(" AND d.workspace = :workspace AND d.slug = :slug");
            parameters.put("workspace", repository.workspace());
            parameters.put("slug", repository.slug());
        });
        filter.environment().ifPresent(environment -> {
            jpql.append(" AND d.environment = :environment");
            parameters.put("environment", environment);
        });
        if (!filter.states().isEmpty()) {
            jpql.append(" AND d.state IN :states");
            parameters.put("states", filter.states());
        }
        filter.since().ifPresent(since -> {
            jpql.append(" AND d.createdAt >= :since");
            parameters.put("since", since);
        });
        if (after != null) {
            Cursor cursor = Cursor.decode(after);
            jpql.append(" AND (d.createdAt < :cursorTime OR (d.createdAt = :cursorTime AND d.id < :cursorId))");
            parameters.put("cursorTime", cursor.createdAt());
            parameters.put("cursorId", cursor.id());
        }
        jpql.append(" ORDER BY d.createdAt DESC, d.id DESC");
        TypedQuery<Deployment> query = entityManager.createQuery(jpql.toString(), Deployment.class);
        parameters.forEach(query::setParameter);
        List<Deployment> rows = query.setMaxResults(limit + 1).getResultList();
        List<DeploymentView> items = new ArrayList<>(rows.subList(0, Math.min(limit, rows.size())).stream()
                .map(DeploymentView::of).toList());
        String next = rows.size() > limit ? new Cursor(rows.get(limit - 1).createdAt, rows.get(limit - 1).id).encode()
                : null;
        return new DeploymentPage(items, next);
    }

    /** The deployment with its timeline and reporting. */
    public DeploymentDetailView find(UUID id) {
        Deployment deployment = entityManager.find(Deployment.class, id);
        if (deployment == null) {
            throw new DeploymentNotFoundException(id);
        }
        List<DeploymentDetailView.TimelineEntry> timeline = DeploymentTimelineEntry.of(id).stream()
                .map(entry -> new DeploymentDetailView.TimelineEntry(entry.state, entry.reason, entry.occurredAt))
                .toList();
        List<BitbucketDelivery> pending = entityManager.createQuery(
                        "FROM BitbucketDelivery WHERE deploymentId = :id ORDER BY id", BitbucketDelivery.class)
                .setParameter("id", id)
                .getResultList();
        String lastError = pending.stream().map(delivery -> delivery.lastError).filter(error -> error != null)
                .reduce((first, second) -> second).orElse(null);
        String status = deployment.reportRefusal != null ? "refused" : pending.isEmpty() ? "reported" : "pending";
        return new DeploymentDetailView(DeploymentView.of(deployment), timeline,
                new DeploymentDetailView.Reporting(status, pending.size(), lastError, deployment.reportRefusal,
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
