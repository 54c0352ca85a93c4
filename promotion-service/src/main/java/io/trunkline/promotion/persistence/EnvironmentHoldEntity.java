package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.RepositoryRef;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * An environment held after a rollback: the deployments the rules plan for it wait until an operator
 * releases it, so that auto-promotion never silently undoes the rollback.
 */
@Entity
@Table(name = "environment_hold")
@IdClass(EnvironmentHoldEntity.Key.class)
public class EnvironmentHoldEntity extends PanacheEntityBase {

    @Id
    public String provider;

    @Id
    public String workspace;

    @Id
    public String slug;

    @Id
    public String environment;

    /** The rollback deployment that placed the hold. */
    @Column(name = "deployment_id", nullable = false)
    public UUID deploymentId;

    /** The commit rolled back to. */
    @Column(name = "commit_sha", nullable = false)
    public String commit;

    @Column(name = "held_by", nullable = false)
    public String heldBy;

    @Column(name = "held_at", nullable = false)
    public Instant heldAt;

    public static Optional<EnvironmentHoldEntity> find(RepositoryRef repository, String environment) {
        return findByIdOptional(new Key(repository.provider().id(), repository.workspace(), repository.slug(),
                environment));
    }

    public record Key(String provider, String workspace, String slug, String environment) implements Serializable {
        public Key() {
            this(null, null, null, null);
        }
    }
}
