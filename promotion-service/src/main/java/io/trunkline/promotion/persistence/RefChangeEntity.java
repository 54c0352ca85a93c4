package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.service.RefChangeRule.Outcome;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.hibernate.Session;

/**
 * One change of a branch or tag as a push reported it, and what this service made of it: applied, or
 * left alone as stale or duplicate, with the reason. The read model of each ref's history.
 */
@Entity
@Table(name = "ref_change")
public class RefChangeEntity extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    @Column(name = "event_id", nullable = false)
    public UUID eventId;

    @Column(name = "delivery_id")
    public String deliveryId;

    @Column(nullable = false)
    public String provider;

    @Column(nullable = false)
    public String workspace;

    @Column(nullable = false)
    public String slug;

    @Enumerated(EnumType.STRING)
    @Column(name = "ref_type", nullable = false)
    public RefType refType;

    @Column(name = "ref_name", nullable = false)
    public String refName;

    @Column(name = "old_commit")
    public String oldCommit;

    @Column(name = "new_commit")
    public String newCommit;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public Outcome outcome;

    @Column(nullable = false)
    public String reason;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;

    /** Whether an applied change of the ref started from {@code oldCommit} (null: one that created it). */
    public static boolean appliedFrom(RepositoryRef repository, RefType refType, String refName, String oldCommit) {
        String sameRef = "provider = ?1 AND workspace = ?2 AND slug = ?3 AND refType = ?4 AND refName = ?5 AND outcome = ?6";
        return oldCommit == null
                ? count(sameRef + " AND oldCommit IS NULL", repository.provider().id(), repository.workspace(),
                        repository.slug(), refType, refName, Outcome.APPLIED) > 0
                : count(sameRef + " AND oldCommit = ?7", repository.provider().id(), repository.workspace(),
                        repository.slug(), refType, refName, Outcome.APPLIED, oldCommit) > 0;
    }

    /**
     * Inserts this change and, when {@code moveHead}, moves its ref's head to its new commit (creating the head
     * of a ref seen for the first time), in one statement.
     */
    public void insertMovingHead(boolean moveHead) {
        String insert = """
                INSERT INTO ref_change (event_id, delivery_id, provider, workspace, slug, ref_type, ref_name,
                                        old_commit, new_commit, outcome, reason, recorded_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";
        String sql = !moveHead ? insert : "WITH change AS (" + insert + """
                 RETURNING provider, workspace, slug, ref_type, ref_name, new_commit, recorded_at)
                INSERT INTO ref_head (provider, workspace, slug, ref_type, ref_name, head_commit, updated_at)
                SELECT provider, workspace, slug, ref_type, ref_name, new_commit, recorded_at FROM change
                ON CONFLICT (provider, workspace, slug, ref_type, ref_name)
                DO UPDATE SET head_commit = EXCLUDED.head_commit, updated_at = EXCLUDED.updated_at""";
        getEntityManager().unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setObject(1, eventId);
                statement.setString(2, deliveryId);
                statement.setString(3, provider);
                statement.setString(4, workspace);
                statement.setString(5, slug);
                statement.setString(6, refType.name());
                statement.setString(7, refName);
                statement.setString(8, oldCommit);
                statement.setString(9, newCommit);
                statement.setString(10, outcome.name());
                statement.setString(11, reason);
                statement.setObject(12, recordedAt.atOffset(ZoneOffset.UTC));
                statement.executeUpdate();
            }
        });
    }

    /** The recorded changes of one ref, oldest first. */
    public static List<RefChangeEntity> history(RepositoryRef repository, RefType refType, String refName) {
        return list("provider = ?1 AND workspace = ?2 AND slug = ?3 AND refType = ?4 AND refName = ?5 ORDER BY id",
                repository.provider().id(), repository.workspace(), repository.slug(), refType, refName);
    }
}
