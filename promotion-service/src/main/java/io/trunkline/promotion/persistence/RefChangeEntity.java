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
import java.time.Instant;
import java.util.List;
import java.util.UUID;

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

    /** The recorded changes of one ref, oldest first. */
    public static List<RefChangeEntity> history(RepositoryRef repository, RefType refType, String refName) {
        return list("provider = ?1 AND workspace = ?2 AND slug = ?3 AND refType = ?4 AND refName = ?5 ORDER BY id",
                repository.provider().id(), repository.workspace(), repository.slug(), refType, refName);
    }
}
