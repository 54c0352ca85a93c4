package io.trunkline.promotion.persistence;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.events.SealedSecret;
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

    /** A secret stored in clear by a version before sealing; sealed and cleared at start. */
    @Column(name = "webhook_secret_plain")
    public String plainWebhookSecret;

    /** The webhook secret, sealed (all five null: none); see {@link #sealedWebhookSecret()}. */
    @Column(name = "webhook_secret_algorithm")
    public String webhookSecretAlgorithm;

    @Column(name = "webhook_secret_key_id")
    public String webhookSecretKeyId;

    @Column(name = "webhook_secret_nonce")
    public String webhookSecretNonce;

    @Column(name = "webhook_secret_ciphertext")
    public String webhookSecretCiphertext;

    /** The instant the seal is bound to, as text exactly as it was sealed. */
    @Column(name = "webhook_secret_sealed_at")
    public String webhookSecretSealedAt;

    /** The environments as JSON, in the configuration API's shape. */
    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public String environments;

    /** The reconciliation interval as configured ({@code 10m}); null: reconciliation off. */
    @Column(name = "reconcile_interval")
    public String reconcileInterval;

    /** The same in seconds, for the query that finds the repositories due. */
    @Column(name = "reconcile_interval_seconds")
    public Long reconcileIntervalSeconds;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public static Optional<RepositoryConfigEntity> findByRepository(RepositoryRef repository) {
        return findByIdOptional(new Key(repository.provider().id(), repository.workspace(), repository.slug()));
    }

    /** The configurations of {@code workspace/slug} on any provider (at most one per provider). */
    public static List<RepositoryConfigEntity> findByName(String workspace, String slug) {
        return list("workspace = ?1 AND slug = ?2 ORDER BY provider", workspace, slug);
    }

    /** The sealed webhook secret; null when none is sealed. */
    public SealedSecret sealedWebhookSecret() {
        return webhookSecretCiphertext == null ? null
                : new SealedSecret(webhookSecretAlgorithm, webhookSecretKeyId, webhookSecretNonce, webhookSecretCiphertext);
    }

    /** Keeps {@code sealed}, bound to {@code sealedAt}; null for both: no secret. The secret in clear is cleared. */
    public void sealWebhookSecret(SealedSecret sealed, Instant sealedAt) {
        plainWebhookSecret = null;
        webhookSecretAlgorithm = sealed == null ? null : sealed.algorithm();
        webhookSecretKeyId = sealed == null ? null : sealed.keyId();
        webhookSecretNonce = sealed == null ? null : sealed.nonce();
        webhookSecretCiphertext = sealed == null ? null : sealed.ciphertext();
        webhookSecretSealedAt = sealed == null ? null : sealedAt.toString();
    }

    /** Whether a webhook secret is stored, sealed or (before its first start with sealing) in clear. */
    public boolean hasWebhookSecret() {
        return webhookSecretCiphertext != null || plainWebhookSecret != null;
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
