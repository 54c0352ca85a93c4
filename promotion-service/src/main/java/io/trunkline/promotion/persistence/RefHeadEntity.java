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
import java.time.Instant;
import java.util.Optional;

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

    public record Key(String provider, String workspace, String slug, RefType refType, String refName)
            implements Serializable {
        public Key() {
            this(null, null, null, null, null);
        }
    }
}
