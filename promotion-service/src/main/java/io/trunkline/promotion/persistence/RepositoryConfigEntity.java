package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "repository_config")
@IdClass(RepositoryConfigEntity.Key.class)
public class RepositoryConfigEntity extends PanacheEntityBase {

    /** {@code bitbucket-cloud} or {@code bitbucket-data-center}: part of the key. */
    @Id
    public String provider;

    @Id
    public String workspace;

    @Id
    public String slug;

    @Column(name = "trunk_branch", nullable = false)
    public String trunkBranch;

    @Column(name = "release_tag_pattern", nullable = false)
    public String releaseTagPattern;

    @Column(name = "preview_forks", nullable = false)
    public boolean previewForks;

    @Column(name = "webhook_secret")
    public String webhookSecret;

    /** The environments as JSON, in the configuration API's shape. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String environments;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<RepositoryConfigEntity> findByRepository(RepositoryRef repository) {
        return findByIdOptional(new Key(repository.provider().id(), repository.workspace(), repository.slug()));
    }

    /** The configurations of {@code workspace/slug} on any provider (at most one per provider). */
    public static List<RepositoryConfigEntity> findByName(String workspace, String slug) {
        return list("workspace = ?1 AND slug = ?2 ORDER BY provider", workspace, slug);
    }

    public RepositoryRef repository() {
        return new RepositoryRef(ScmProvider.fromId(provider), workspace, slug);
    }

    public record Key(String provider, String workspace, String slug) implements Serializable {
        public Key() {
            this(null, null, null);
        }
    }
}
