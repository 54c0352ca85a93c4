package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Optional;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

@Entity
@Table(name = "repository_config")
@IdClass(RepositoryConfigEntity.Key.class)
public class RepositoryConfigEntity extends PanacheEntityBase {

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

    public static Optional<RepositoryConfigEntity> findByRepository(String workspace, String slug) {
        return findByIdOptional(new Key(workspace, slug));
    }

    public record Key(String workspace, String slug) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
