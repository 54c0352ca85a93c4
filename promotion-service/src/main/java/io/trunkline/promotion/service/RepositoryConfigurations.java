package io.trunkline.promotion.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.trunkline.commons.rest.Problem.FieldError;
import io.trunkline.commons.rest.ProblemException;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.persistence.RepositoryConfigEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Stores and reads repository configurations; the webhook secret goes in and never comes out. */
@ApplicationScoped
public class RepositoryConfigurations {

    private static final TypeReference<List<EnvironmentConfiguration>> ENVIRONMENTS = new TypeReference<>() {
    };

    private final ObjectMapper mapper;
    /**
     * Reads what this service stored. The API refuses unknown fields; stored ones are read leniently so that
     * a field only a newer version knows (after a rollback) cannot stop every push of the repository.
     */
    private final ObjectReader storedEnvironments;

    public RepositoryConfigurations(ObjectMapper mapper) {
        this.mapper = mapper;
        this.storedEnvironments = mapper.readerFor(ENVIRONMENTS).without(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** Creates or replaces; true when it created. A replacement without a secret keeps the stored one. */
    @Transactional
    public boolean put(String workspace, String slug, RepositoryConfiguration config) {
        List<FieldError> errors = ConfigurationValidator.validate(config);
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "invalid-configuration", "Invalid repository configuration",
                    "The configuration of " + workspace + "/" + slug + " has " + errors.size() + " invalid field(s).", errors);
        }
        RepositoryConfiguration normalised = config.normalised();
        Optional<RepositoryConfigEntity> existing = RepositoryConfigEntity.findByRepository(workspace, slug);
        RepositoryConfigEntity entity = existing.orElseGet(RepositoryConfigEntity::new);
        entity.workspace = workspace;
        entity.slug = slug;
        entity.trunkBranch = normalised.trunkBranch();
        entity.releaseTagPattern = normalised.releaseTagPattern();
        entity.previewForks = normalised.previewForks();
        if (config.webhookSecret() != null) {
            entity.webhookSecret = config.webhookSecret();
        }
        entity.environments = toJson(normalised.environments());
        entity.updatedAt = Instant.now();
        if (existing.isEmpty()) {
            entity.persist();
        }
        return existing.isEmpty();
    }

    @Transactional
    public Optional<StoredConfiguration> get(String workspace, String slug) {
        return RepositoryConfigEntity.findByRepository(workspace, slug).map(this::toStored);
    }

    /** The current configuration of one environment of a repository, if the repository still has it. */
    @Transactional
    public Optional<EnvironmentConfiguration> environment(RepositoryRef repository, String name) {
        return get(repository.workspace(), repository.slug())
                .flatMap(stored -> stored.configuration().environments().stream()
                        .filter(environment -> environment.name().equals(name))
                        .findFirst());
    }

    @Transactional
    public boolean delete(String workspace, String slug) {
        return RepositoryConfigEntity.deleteById(new RepositoryConfigEntity.Key(workspace, slug));
    }

    private StoredConfiguration toStored(RepositoryConfigEntity entity) {
        try {
            RepositoryConfiguration config = new RepositoryConfiguration(entity.trunkBranch, entity.releaseTagPattern,
                    null, entity.previewForks, storedEnvironments.readValue(entity.environments));
            return new StoredConfiguration(config, entity.webhookSecret != null, entity.updatedAt);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored configuration of " + entity.workspace + "/" + entity.slug
                    + " is unreadable", e);
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
    public record StoredConfiguration(RepositoryConfiguration configuration, boolean webhookSecretSet, Instant updatedAt) {
    }
}
