package io.trunkline.promotion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.trunkline.events.RepositoryRef;
import io.trunkline.events.ScmProvider;
import io.trunkline.promotion.config.PromotionConfig;
import io.trunkline.promotion.persistence.RepositoryConfigEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Stores and reads repository configurations; the webhook secret goes in and never comes out (it is kept
 * sealed, and each change publishes the name's secret, sealed, for webhook-ingest: {@link WebhookSecrets}). A
 * configuration belongs to one provider's repository ({@code bitbucket-cloud} or
 * {@code bitbucket-data-center}, workspace or project key, slug). Requests may leave the provider out
 * where only one provider has the repository configured; a first {@code PUT} without one configures
 * Bitbucket Cloud. Every change is written to the audit log in its transaction, secrets masked.
 */
@ApplicationScoped
public class RepositoryConfigurations {

    /** What the audit log shows in place of a stored secret. */
    static final String MASKED = "********";

    private static final TypeReference<List<EnvironmentConfiguration>> ENVIRONMENTS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    /**
     * Reads what this service stored. The API refuses unknown fields; stored ones are read leniently so that
     * a field only a newer version knows (after a rollback) cannot stop every push of the repository.
     */
    private final ObjectReader storedEnvironments;
    private final AuditLog auditLog;
    private final ConfigurationValidator validator;
    private final WebhookSecrets webhookSecrets;
    private final EntityManager entityManager;

    public RepositoryConfigurations(ObjectMapper mapper, AuditLog auditLog, PromotionConfig config,
            WebhookSecrets webhookSecrets, EntityManager entityManager) {
        this.mapper = mapper;
        this.entityManager = entityManager;
        this.webhookSecrets = webhookSecrets;
        this.storedEnvironments = mapper.readerFor(ENVIRONMENTS).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        this.auditLog = auditLog;
        this.validator = new ConfigurationValidator(config.promotion().credentialEnvPrefix(),
                new CredentialFiles(config.credentials().fileDir()));
    }

    /**
     * Creates or replaces. A replacement without a secret keeps the stored one. Concurrent first
     * {@code PUT}s of one repository are serialised: one creates, the others replace.
     *
     * @param provider the provider named by the request; empty: the one that has the repository, else Cloud
     * @throws InvalidConfigurationException naming every invalid field; nothing is stored
     * @throws AmbiguousRepositoryException when no provider is named and both have the repository
     * @throws SecretsKeyMissingException a secret is given and no key is configured
     * @throws WebhookSecretConflictException the other provider's repository of that name has another secret
     */
    @Transactional
    public PutResult put(Optional<ScmProvider> provider, String workspace, String slug, RepositoryConfiguration config,
            String subject) {
        List<ConfigurationError> errors = validator.validate(config);
        if (!errors.isEmpty()) {
            throw new InvalidConfigurationException(workspace + "/" + slug, errors);
        }
        lockName(workspace, slug);
        RepositoryRef repository = provider.map(named -> new RepositoryRef(named, workspace, slug))
                .or(() -> resolveExisting(workspace, slug))
                .orElseGet(() -> new RepositoryRef(ScmProvider.BITBUCKET_CLOUD, workspace, slug));
        RepositoryConfiguration normalised = config.normalised();
        Optional<RepositoryConfigEntity> existing = RepositoryConfigEntity.findByRepository(repository);
        String before = existing.map(entity -> auditJson(toStored(entity))).orElse(null);
        boolean secretChanged = false;
        if (config.webhookSecret() != null) {
            if (!webhookSecrets.configured()) {
                throw new SecretsKeyMissingException();
            }
            webhookSecrets.checkConsistent(repository, config.webhookSecret());
            secretChanged = !existing.flatMap(webhookSecrets::secretOf).equals(Optional.of(config.webhookSecret()));
        }

        RepositoryConfigEntity entity = existing.orElseGet(RepositoryConfigEntity::new);
        entity.provider = repository.provider().id();
        entity.workspace = workspace;
        entity.slug = slug;
        entity.trunkBranch = normalised.trunkBranch();
        entity.releaseTagPattern = normalised.releaseTagPattern();
        entity.previewForks = normalised.previewForks();
        entity.environments = toJson(normalised.environments());
        entity.reconcileInterval = normalised.reconcile() == null ? null : normalised.reconcile().interval();
        entity.reconcileIntervalSeconds = entity.reconcileInterval == null ? null
                : DurationSetting.of(entity.reconcileInterval).toSeconds();
        entity.updatedAt = Instant.now();
        if (config.webhookSecret() != null) {
            webhookSecrets.store(entity, config.webhookSecret());
        }
        if (existing.isEmpty()) {
            entity.persist();
        }
        webhookSecrets.publish(workspace, slug);
        StoredConfiguration stored = toStored(entity);
        auditLog.configurationChanged(subject,
                existing.isEmpty() ? AuditAction.CONFIGURATION_CREATED : AuditAction.CONFIGURATION_REPLACED,
                repository, (existing.isEmpty() ? "created" : "replaced") + " the configuration of "
                        + repository.fullName() + " (" + repository.provider().id() + ")"
                        + (secretChanged ? "; the webhook secret changed" : ""),
                before, auditJson(stored));
        return new PutResult(existing.isEmpty(), stored);
    }

    /**
     * The configuration a request names.
     *
     * @throws AmbiguousRepositoryException when no provider is named and both have the repository
     */
    @Transactional
    public Optional<StoredConfiguration> find(Optional<ScmProvider> provider, String workspace, String slug) {
        return provider.map(named -> new RepositoryRef(named, workspace, slug))
                .or(() -> resolveExisting(workspace, slug))
                .flatMap(this::get);
    }

    /** The configuration of the repository an event is about. */
    @Transactional
    public Optional<StoredConfiguration> get(RepositoryRef repository) {
        return RepositoryConfigEntity.findByRepository(repository).map(this::toStored);
    }

    /**
     * The first statement of a decision about an event: claims the event for {@code consumer} in the
     * idempotent-consumer log ({@code processed_event}, as {@code ProcessedEvents.claim} does, in the caller's
     * transaction) and reads the configuration of its repository, in one round trip and without loading the
     * configuration as an entity (a decision only reads it).
     *
     * @return whether the event is new (false: a redelivery, the configuration is not read), and the configuration
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Claimed claimAndGet(String consumer, UUID eventId, RepositoryRef repository) {
        Object[] row = (Object[]) entityManager.createNativeQuery("""
                        WITH claim AS (INSERT INTO processed_event (consumer, event_id) VALUES (?1, ?2)
                                       ON CONFLICT DO NOTHING RETURNING event_id)
                        SELECT EXISTS (SELECT 1 FROM claim), c.trunk_branch, c.release_tag_pattern, c.preview_forks,
                               CAST(c.environments AS text), c.reconcile_interval
                          FROM (VALUES (1)) AS one (x)
                          LEFT JOIN repository_config c ON c.provider = ?3 AND c.workspace = ?4 AND c.slug = ?5
                           AND EXISTS (SELECT 1 FROM claim)""")
                .setParameter(1, consumer)
                .setParameter(2, eventId)
                .setParameter(3, repository.provider().id())
                .setParameter(4, repository.workspace())
                .setParameter(5, repository.slug())
                .getSingleResult();
        if (!Boolean.TRUE.equals(row[0])) {
            return new Claimed(false, Optional.empty());
        }
        if (row[1] == null) {
            return new Claimed(true, Optional.empty());
        }
        return new Claimed(true, Optional.of(configuration(repository, (String) row[1], (String) row[2],
                Boolean.TRUE.equals(row[3]), (String) row[4], (String) row[5])));
    }

    /** An event claimed ({@link #claimAndGet}): {@code first} false for a redelivery; the repository's configuration. */
    public record Claimed(boolean first, Optional<RepositoryConfiguration> configuration) {
    }

    /** The current configuration of one environment of a repository, if the repository still has it. */
    @Transactional
    public Optional<EnvironmentConfiguration> environment(RepositoryRef repository, String name) {
        return get(repository).flatMap(stored -> stored.configuration().environment(name));
    }

    /**
     * Deletes the configuration a request names; false when there is none.
     *
     * @throws AmbiguousRepositoryException when no provider is named and both have the repository
     */
    @Transactional
    public boolean delete(Optional<ScmProvider> provider, String workspace, String slug, String subject) {
        lockName(workspace, slug);
        Optional<RepositoryConfigEntity> existing = provider.map(named -> new RepositoryRef(named, workspace, slug))
                .or(() -> resolveExisting(workspace, slug))
                .flatMap(RepositoryConfigEntity::findByRepository);
        if (existing.isEmpty()) {
            return false;
        }
        RepositoryConfigEntity entity = existing.get();
        String before = auditJson(toStored(entity));
        entity.delete();
        webhookSecrets.publish(workspace, slug);
        auditLog.configurationChanged(subject, AuditAction.CONFIGURATION_DELETED, entity.repository(),
                "deleted the configuration of " + entity.repository().fullName() + " (" + entity.provider + ")",
                before, null);
        return true;
    }

    /**
     * Removes the webhook secret of the configuration a request names (webhook-ingest then checks the
     * repository's deliveries against the global secret); false when there is no such configuration.
     *
     * @throws AmbiguousRepositoryException when no provider is named and both have the repository
     */
    @Transactional
    public boolean removeWebhookSecret(Optional<ScmProvider> provider, String workspace, String slug, String subject) {
        lockName(workspace, slug);
        Optional<RepositoryConfigEntity> existing = provider.map(named -> new RepositoryRef(named, workspace, slug))
                .or(() -> resolveExisting(workspace, slug))
                .flatMap(RepositoryConfigEntity::findByRepository);
        if (existing.isEmpty()) {
            return false;
        }
        RepositoryConfigEntity entity = existing.get();
        boolean had = entity.hasWebhookSecret();
        String before = auditJson(toStored(entity));
        entity.sealWebhookSecret(null, null);
        entity.updatedAt = Instant.now();
        webhookSecrets.publish(workspace, slug);
        auditLog.configurationChanged(subject, AuditAction.CONFIGURATION_REPLACED, entity.repository(),
                (had ? "removed the webhook secret of " : "removed the webhook secret (there was none) of ")
                        + entity.repository().fullName() + " (" + entity.provider + ")",
                before, auditJson(toStored(entity)));
        return true;
    }

    /** The one provider that has {@code workspace/slug} configured. */
    private Optional<RepositoryRef> resolveExisting(String workspace, String slug) {
        List<RepositoryConfigEntity> configured = RepositoryConfigEntity.findByName(workspace, slug);
        if (configured.size() > 1) {
            throw new AmbiguousRepositoryException(workspace, slug);
        }
        return configured.stream().findFirst().map(RepositoryConfigEntity::repository);
    }

    /**
     * Serialises the changes of one {@code workspace/slug}, so that concurrent first PUTs never collide and the
     * secrets published for the name follow the order of its changes.
     */
    private void lockName(String workspace, String slug) {
        webhookSecrets.lock(workspace, slug);
    }

    private StoredConfiguration toStored(RepositoryConfigEntity entity) {
        RepositoryConfiguration config = configuration(entity.repository(), entity.trunkBranch,
                entity.releaseTagPattern, entity.previewForks, entity.environments, entity.reconcileInterval);
        return new StoredConfiguration(entity.repository(), config, entity.hasWebhookSecret(), entity.updatedAt);
    }

    /** A configuration from its stored columns (the secret never: it is not part of what a decision reads). */
    private RepositoryConfiguration configuration(RepositoryRef repository, String trunkBranch,
            String releaseTagPattern, boolean previewForks, String environments, String reconcileInterval) {
        try {
            return new RepositoryConfiguration(trunkBranch, releaseTagPattern, null, previewForks,
                    storedEnvironments.readValue(environments),
                    reconcileInterval == null ? null : new ReconcileSetting(reconcileInterval));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored configuration of " + repository.fullName() + " is unreadable", e);
        }
    }

    /** The configuration as the audit log keeps it: as GET shows it, a stored secret as {@value #MASKED}. */
    private String auditJson(StoredConfiguration stored) {
        ObjectNode node = mapper.valueToTree(stored.configuration());
        node.remove("webhookSecret");
        if (stored.webhookSecretSet()) {
            node.put("webhookSecret", MASKED);
        }
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the configuration", e);
        }
    }

    private String toJson(List<EnvironmentConfiguration> environments) {
        try {
            return mapper.writeValueAsString(environments);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise environments", e);
        }
    }

    /** A configuration as stored: the secret replaced by whether one is set. */
    public record StoredConfiguration(RepositoryRef repository, RepositoryConfiguration configuration,
            boolean webhookSecretSet, Instant updatedAt) {
    }

    /** What a PUT did: created (true) or replaced, and the configuration now stored. */
    public record PutResult(boolean created, StoredConfiguration stored) {
    }
}
