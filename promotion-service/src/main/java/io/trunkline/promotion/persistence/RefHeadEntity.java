package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.RefType;
import io.trunkline.events.RepositoryRef;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.hibernate.Session;

/** Where a branch or tag of a repository is after the last change this service applied to it. */
@Entity
@Table(name = "ref_head")
@IdClass(RefHeadEntity.Key.class)
public class RefHeadEntity extends PanacheEntityBase {

    @Id
    public String provider;

    @Id
    public String workspace;

    @Id
    public String slug;

    @Id
    @Enumerated(EnumType.STRING)
    @Column(name = "ref_type")
    public RefType refType;

    @Id
    @Column(name = "ref_name")
    public String refName;

    /** Null once the ref was deleted. */
    @Column(name = "head_commit")
    public String headCommit;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<RefHeadEntity> find(RepositoryRef repository, RefType refType, String refName) {
        return findByIdOptional(new Key(repository.provider().id(), repository.workspace(), repository.slug(),
                refType, refName));
    }

    /**
     * What is known of a ref, in one statement: its head, and whether an applied change of it started from
     * {@code commit} (null: a change that created it), looked up only where the head is not {@code unlessHead}
     * (a change from the head is never stale: its history need not be read); empty when no change of it was
     * ever applied (or its history was purged).
     */
    public static Optional<Known> known(RepositoryRef repository, RefType refType, String refName, String commit,
            String unlessHead) {
        return getEntityManager().unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT h.head_commit,
                           h.head_commit IS DISTINCT FROM ?
                           AND EXISTS (SELECT 1 FROM ref_change c
                                        WHERE c.provider = h.provider AND c.workspace = h.workspace AND c.slug = h.slug
                                          AND c.ref_type = h.ref_type AND c.ref_name = h.ref_name
                                          AND c.outcome = 'APPLIED' AND c.old_commit IS NOT DISTINCT FROM ?)
                      FROM ref_head h
                     WHERE h.provider = ? AND h.workspace = ? AND h.slug = ? AND h.ref_type = ? AND h.ref_name = ?""")) {
                statement.setString(1, unlessHead);
                statement.setString(2, commit);
                statement.setString(3, repository.provider().id());
                statement.setString(4, repository.workspace());
                statement.setString(5, repository.slug());
                statement.setString(6, refType.name());
                statement.setString(7, refName);
                try (ResultSet row = statement.executeQuery()) {
                    if (!row.next()) {
                        return Optional.<Known>empty();
                    }
                    String head = row.getString(1);
                    return Optional.of(new Known(head, !Objects.equals(head, unlessHead) ? row.getBoolean(2) : null,
                            commit));
                }
            }
        });
    }

    /**
     * A ref's head ({@link #known}).
     *
     * @param movedOn whether an applied change of the ref started from {@code asked}; null where it was not looked up
     */
    public record Known(String head, Boolean movedOn, String asked) {
    }

    public record Key(String provider, String workspace, String slug, RefType refType, String refName)
            implements Serializable {
        public Key() {
            this(null, null, null, null, null);
        }
    }
}
