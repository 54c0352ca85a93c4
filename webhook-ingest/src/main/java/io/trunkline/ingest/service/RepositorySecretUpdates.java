package io.trunkline.ingest.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.trunkline.events.RepositoryWebhookSecretChanged;
import io.trunkline.events.SecretSealing;
import io.trunkline.ingest.persistence.RepositorySecretTable;
import io.trunkline.ingest.persistence.ShortTransactions;
import io.trunkline.ingest.persistence.StoredSecret;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Applies a record of {@code trunkline.repository-secrets} to {@code repository_secret}. A record that
 * cannot be read (not the event, not for its key, a seal the configured keys do not open) leaves its
 * repository without usable secret, so that its deliveries are answered 503 rather than checked
 * against the global secret: a broken record never weakens the check. An older record never replaces
 * a newer one. Records without value are not removals (those come sealed) and are ignored.
 */
@ApplicationScoped
public class RepositorySecretUpdates {

    private static final Logger LOG = Logger.getLogger(RepositorySecretUpdates.class);
    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final RepositorySecretTable table;
    private final RepositorySecretCache cache;
    private final ShortTransactions transactions;
    private final SecretsKeys keys;

    public RepositorySecretUpdates(RepositorySecretTable table, RepositorySecretCache cache,
            ShortTransactions transactions, SecretsKeys keys) {
        this.table = table;
        this.cache = cache;
        this.transactions = transactions;
        this.keys = keys;
    }

    /**
     * @param key   the record key, {@code workspace/slug}
     * @param type  its CloudEvents type header
     * @param value its JSON
     */
    public void apply(String key, String type, String value) {
        Optional<RepositoryName> repository = RepositoryName.parse(key);
        if (repository.isEmpty()) {
            LOG.warnf("A repository secret record without a 'workspace/slug' key is ignored");
            return;
        }
        RepositoryName name = repository.get();
        if (value == null) {
            LOG.warnf("A record without value for %s is ignored: a removed secret comes sealed like any other", name);
            return;
        }
        if (type != null && !type.equals(RepositoryWebhookSecretChanged.TYPE)) {
            LOG.debugf("A record of type %s for %s is not a secret: ignored", type, name);
            return;
        }
        Optional<StoredSecret> secret = read(name, value);
        try {
            if (secret.isEmpty()) {
                transactions.run(() -> table.markUnreadable(name.workspace(), name.slug()));
            } else if (!transactions.call(() -> table.put(secret.get()))) {
                LOG.infof("A record for %s older than the one kept is ignored", name);
            }
        } finally {
            cache.forget(name);
        }
    }

    private Optional<StoredSecret> read(RepositoryName name, String value) {
        RepositoryWebhookSecretChanged event;
        try {
            event = MAPPER.readValue(value, RepositoryWebhookSecretChanged.class);
        } catch (Exception e) {
            return unreadable(name, "it is not a " + RepositoryWebhookSecretChanged.TYPE + " event");
        }
        if (event.occurredAt() == null || event.webhookSecret() == null
                || !name.workspace().equals(event.workspace()) || !name.slug().equals(event.slug())) {
            return unreadable(name, "its workspace, slug, time or sealed secret is missing or not its key's");
        }
        if (keys.configured()) {
            try {
                SecretSealing.open(keys.all(), name.workspace(), name.slug(), event.occurredAt(), event.webhookSecret());
            } catch (SecretSealing.BrokenSealException e) {
                return unreadable(name, e.getMessage());
            }
        } else {
            LOG.warnf("A secret of %s arrived, but TRUNKLINE_SECRETS_KEY is not set: its deliveries are answered 503", name);
        }
        return Optional.of(new StoredSecret(name.workspace(), name.slug(), event.eventId(),
                event.occurredAt().toString(), event.webhookSecret()));
    }

    private static Optional<StoredSecret> unreadable(RepositoryName name, String why) {
        LOG.errorf("The webhook secret record of %s cannot be read (%s): its deliveries are answered 503 until "
                + "a readable record replaces it", name, why);
        return Optional.empty();
    }
}
