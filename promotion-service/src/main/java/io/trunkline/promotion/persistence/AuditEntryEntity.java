package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Parameters;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** One configuration change or operator command, as the audit log keeps it. Never updated. */
@Entity
@Table(name = "audit_entry")
public class AuditEntryEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** Who: the authenticated subject (the token's {@code preferred_username}, else {@code sub}). */
    @Column(nullable = false)
    public String subject;

    /** The roles the subject's token granted, with those they include, space-separated. */
    @Column(nullable = false)
    public String roles = "";

    @Column(nullable = false)
    public String action;

    public String provider;

    public String workspace;

    public String slug;

    public String environment;

    @Column(name = "deployment_id")
    public UUID deploymentId;

    @Column(nullable = false)
    public String summary;

    /** JSON, secrets masked; null where there was nothing before (a creation) or it does not apply. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "before_state", columnDefinition = "jsonb")
    public String before;

    /** JSON, secrets masked; null where nothing is left after (a deletion) or it does not apply. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "after_state", columnDefinition = "jsonb")
    public String after;

    /**
     * Up to {@code limit} entries older than {@code beforeId} (null: from the newest), newest first,
     * optionally of one repository, one action or one deployment.
     */
    public static List<AuditEntryEntity> page(String workspace, String slug, String action, UUID deploymentId,
            Long beforeId, int limit) {
        StringBuilder query = new StringBuilder("1 = 1");
        Parameters parameters = new Parameters();
        if (workspace != null) {
            query.append(" AND workspace = :workspace AND slug = :slug");
            parameters.and("workspace", workspace).and("slug", slug);
        }
        if (action != null) {
            query.append(" AND action = :action");
            parameters.and("action", action);
        }
        if (deploymentId != null) {
            query.append(" AND deploymentId = :deploymentId");
            parameters.and("deploymentId", deploymentId);
        }
        if (beforeId != null) {
            query.append(" AND id < :beforeId");
            parameters.and("beforeId", beforeId);
        }
        return find(query + " ORDER BY id DESC", parameters).page(0, limit).list();
    }
}
