package io.trunkline.promotion.service;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.trunkline.commons.outbox.Outbox;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.RepositoryWebhookSecretChanged;
import io.trunkline.events.SealedSecret;
import io.trunkline.events.SecretSealing;
import io.trunkline.events.Topics;
import io.trunkline.promotion.config.PromotionConfig;
import io.trunkline.promotion.persistence.RepositoryConfigEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Repositories' own webhook secrets: sealed at rest in {@code repository_config} and published, sealed, to the
 * compacted {@code trunkline.repository-secrets} (key {@code workspace/slug}) through the outbox, in the
 * transaction of the configuration change, for webhook-ingest. Both seals are events' {@link SecretSealing}
 * under {@code TRUNKLINE_SECRETS_KEY}; the secret itself is never logged, returned or published in clear.
 *
 * <p>webhook-ingest knows one secret per {@code workspace/slug}, whatever the provider, so the secret published
 * for a name is the one of the configurations of that name (a Cloud and a Data Center repository of the same
 * name may not have different secrets: {@link WebhookSecretConflictException}), and the sealed empty text when
 * none has one (webhook-ingest then applies the global secret).
 *
 * <p>At start, secrets stored in clear by an earlier version, and secrets sealed with a key being rotated out
 * ({@code TRUNKLINE_SECRETS_PREVIOUS_KEYS}), are sealed with the current key and published again. Without a
 * key the service starts only when no secret is stored.
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);

    private final Optional<SecretSealing.Key> current;
    private final List<SecretSealing.Key> keys;
    private final Outbox outbox;
    private final EntityManager entityManager;

    public WebhookSecrets(PromotionConfig config, Outbox outbox, EntityManager entityManager) {
        this.outbox = outbox;
        this.entityManager = entityManager;
        List<SecretSealing.Key> parsed = new ArrayList<>();
        try {
            this.current = config.secrets().key().filter(key -> !key.isBlank()).map(SecretSealing.Key::fromBase64);
            current.ifPresent(parsed::add);
            config.secrets().previousKeys().orElse(List.of()).stream()
                    .filter(key -> !key.isBlank())
                    .forEach(key -> parsed.add(SecretSealing.Key.fromBase64(key)));
        } catch (IllegalArgumentException e) {
            // the message never holds the value
            throw new IllegalStateException("TRUNKLINE_SECRETS_KEY or TRUNKLINE_SECRETS_PREVIOUS_KEYS is invalid: "
                    + e.getMessage());
        }
        this.keys = List.copyOf(parsed);
    }

    /**
     * Seals what earlier versions stored in clear and what is sealed with a previous key, publishing each again;
     * refuses to start with secrets stored and no key. Several instances starting at once: each repository is
     * done once (the configuration API's lock per name, then the row as it is under that lock).
     */
    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(this::sealStoredWithCurrentKey);
    }

    @SuppressWarnings("unchecked")
    void sealStoredWithCurrentKey() {
        if (current.isEmpty()) {
            Number stored = (Number) entityManager.createNativeQuery("""
                    SELECT count(*) FROM repository_config
                    WHERE webhook_secret_plain IS NOT NULL OR webhook_secret_ciphertext IS NOT NULL""").getSingleResult();
            if (stored.longValue() > 0) {
                throw new IllegalStateException(stored + " repository configuration(s) hold a webhook secret, but "
                        + "TRUNKLINE_SECRETS_KEY is not set: without it they can be neither kept sealed nor published to "
                        + "webhook-ingest. Set the key webhook-ingest has (bin/trunkline keeps it in .trunkline/secrets.key)");
            }
            LOG.info("TRUNKLINE_SECRETS_KEY is not set: repositories cannot have webhook secrets of their own");
            return;
        }
        List<Object[]> candidates = entityManager.createNativeQuery("""
                        SELECT provider, workspace, slug FROM repository_config
                        WHERE webhook_secret_plain IS NOT NULL
                           OR (webhook_secret_ciphertext IS NOT NULL AND webhook_secret_key_id <> ?1)
                        ORDER BY workspace, slug, provider""")
                .setParameter(1, current.get().id())
                .getResultList();
        int sealed = 0;
        for (Object[] row : candidates) {
            String workspace = (String) row[1];
            String slug = (String) row[2];
            lock(workspace, slug);
            RepositoryConfigEntity entity = entityManager.find(RepositoryConfigEntity.class,
                    new RepositoryConfigEntity.Key((String) row[0], workspace, slug));
            if (entity == null) {
                continue;
            }
            entityManager.refresh(entity);
            Optional<String> secret = secretOf(entity);
            if (secret.isEmpty() || current.get().id().equals(entity.webhookSecretKeyId) && entity.plainWebhookSecret == null) {
                continue; // done by another instance meanwhile
            }
            store(entity, secret.get());
            publish(workspace, slug);
            sealed++;
        }
        if (sealed > 0) {
            LOG.infof("Sealed %d repository webhook secret(s) with the current TRUNKLINE_SECRETS_KEY (key id %s) and "
                    + "published them again to %s", sealed, current.get().id(), Topics.REPOSITORY_SECRETS);
        }
    }

    /** Whether a key is configured, so that secrets can be stored. */
    public boolean configured() {
        return current.isPresent();
    }

    /**
     * Keeps {@code secret} sealed in {@code entity}.
     *
     * @throws SecretsKeyMissingException no key is configured
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void store(RepositoryConfigEntity entity, String secret) {
        SecretSealing.Key key = current.orElseThrow(SecretsKeyMissingException::new);
        Instant sealedAt = now();
        entity.sealWebhookSecret(SecretSealing.seal(key, entity.workspace, entity.slug, sealedAt, secret), sealedAt);
    }

    /** The secret {@code entity} stores; empty when none. */
    public Optional<String> secretOf(RepositoryConfigEntity entity) {
        if (entity.plainWebhookSecret != null) {
            return Optional.of(entity.plainWebhookSecret);
        }
        SealedSecret sealed = entity.sealedWebhookSecret();
        if (sealed == null) {
            return Optional.empty();
        }
        if (keys.isEmpty()) {
            throw new SecretsKeyMissingException();
        }
        try {
            String opened = SecretSealing.open(keys, entity.workspace, entity.slug, Instant.parse(entity.webhookSecretSealedAt),
                    sealed);
            return opened.isEmpty() ? Optional.empty() : Optional.of(opened);
        } catch (SecretSealing.BrokenSealException e) {
            throw new IllegalStateException("the stored webhook secret of " + entity.workspace + "/" + entity.slug + " ("
                    + entity.provider + ") cannot be opened: " + e.getMessage()
                    + "; is TRUNKLINE_SECRETS_KEY (or TRUNKLINE_SECRETS_PREVIOUS_KEYS) the one it was sealed with?");
        }
    }

    /**
     * Refuses {@code secret} for {@code repository} when another provider's repository of the same name has a
     * different one: webhook-ingest tells them apart by name only.
     *
     * @throws WebhookSecretConflictException another provider's repository of that name has another secret
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void checkConsistent(RepositoryRef repository, String secret) {
        for (RepositoryConfigEntity other : RepositoryConfigEntity.findByName(repository.workspace(), repository.slug())) {
            if (!other.provider.equals(repository.provider().id())
                    && secretOf(other).filter(theirs -> !theirs.equals(secret)).isPresent()) {
                throw new WebhookSecretConflictException(repository, other.provider);
            }
        }
    }

    /**
     * Records, in the caller's transaction, the secret that now applies to {@code workspace/slug} for
     * webhook-ingest: the one of its configurations that has one, else none (the sealed empty text). Nothing
     * without a key: then no secret is stored, and webhook-ingest applies the global one.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void publish(String workspace, String slug) {
        if (current.isEmpty()) {
            return;
        }
        entityManager.flush();
        String secret = RepositoryConfigEntity.findByName(workspace, slug).stream()
                .map(this::secretOf)
                .flatMap(Optional::stream)
                .findFirst()
                .orElse("");
        Instant at = now();
        outbox.append(Topics.REPOSITORY_SECRETS, new RepositoryWebhookSecretChanged(UUID.randomUUID(), at, workspace,
                slug, SecretSealing.seal(current.get(), workspace, slug, at, secret)));
        LOG.debugf("Published the webhook secret of %s/%s (%s, sealed with key id %s)", workspace, slug,
                secret.isEmpty() ? "none of its own" : "its own", current.get().id());
    }

    /** Serialises the changes of one {@code workspace/slug}, whatever the provider, until the transaction ends. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void lock(String workspace, String slug) {
        entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('trunkline.config'), hashtext(?1))")
                .setParameter(1, workspace + "/" + slug)
                .getSingleResult();
    }

    /**
     * The database's clock, to the microsecond: the times of one name's records follow the order of its changes
     * (serialised by {@link #lock}) whichever instance makes them, and webhook-ingest keeps the newest.
     */
    private Instant now() {
        Number micros = (Number) entityManager.createNativeQuery(
                "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint").getSingleResult();
        return Instant.EPOCH.plus(micros.longValue(), ChronoUnit.MICROS);
    }
}
