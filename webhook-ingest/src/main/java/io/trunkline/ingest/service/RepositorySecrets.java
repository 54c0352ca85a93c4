package io.trunkline.ingest.service;

import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.messaging.RepositorySecretsFeed;
import io.trunkline.ingest.persistence.DatabaseUnavailableException;
import io.trunkline.ingest.persistence.RepositorySecretTable;
import io.trunkline.ingest.persistence.ShortTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Which secret applies to the repository a still unverified delivery names, from
 * {@code repository_secret} ({@link RepositorySecretCache} in front of it), which {@link RepositorySecretsFeed}
 * keeps current. No repository named,
 * or one without secret of its own: the global rule.
 */
@ApplicationScoped
public class RepositorySecrets {

    private static final Logger LOG = Logger.getLogger(RepositorySecrets.class);

    private final RepositorySecretTable table;
    private final RepositorySecretCache cache;
    private final ShortTransactions transactions;
    private final RepositorySecretsFeed feed;
    private final SecretsKeys keys;
    private final WebhookConfig config;

    public RepositorySecrets(RepositorySecretTable table, RepositorySecretCache cache, ShortTransactions transactions,
            RepositorySecretsFeed feed, SecretsKeys keys, WebhookConfig config) {
        this.table = table;
        this.cache = cache;
        this.transactions = transactions;
        this.feed = feed;
        this.keys = keys;
        this.config = config;
    }

    /**
     * @throws EventNotStoredException the secrets are not loaded yet after a start, the database is
     *         unavailable, or the repository's own secret cannot be read: the delivery cannot be verified now
     */
    public SecretRequirement requirementFor(Optional<String> repositoryName) {
        Optional<RepositoryName> repository = repositoryName.flatMap(RepositoryName::parse);
        if (repository.isEmpty()) {
            return SecretRequirement.GLOBAL;
        }
        if (!feed.awaitLoaded(config.publishTimeout())) {
            throw new EventNotStoredException(EventNotStoredException.Reason.SECRETS_LOADING, null);
        }
        try {
            RepositoryName name = repository.get();
            return SecretRequirement.of(name, cache.get(name, () -> transactions.call(
                    () -> table.findIgnoringCase(name.workspace(), name.slug()))), keys.all());
        } catch (DatabaseUnavailableException e) {
            throw new EventNotStoredException(EventNotStoredException.Reason.DATABASE, e);
        } catch (SecretRequirement.UnreadableSecretException e) {
            LOG.errorf("A delivery naming %s cannot be verified: %s. Check TRUNKLINE_SECRETS_KEY against "
                    + "promotion-service's; promotion-service publishes the repository's secret again when it is "
                    + "saved again", repository.get(), e.getMessage());
            throw new EventNotStoredException(EventNotStoredException.Reason.SECRET_UNREADABLE, e);
        }
    }
}
