package io.trunkline.ingest.messaging;

import io.trunkline.commons.config.KafkaTopicsConfig;
import io.trunkline.events.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates {@code trunkline.repository-secrets} compacted when it is missing, and says loudly when it
 * exists without compaction: retention would then delete the secrets of repositories whose
 * configuration has not changed for a week, and a new instance would not learn them.
 */
@ApplicationScoped
public class RepositorySecretsTopic {

    private static final Logger LOG = Logger.getLogger(RepositorySecretsTopic.class);

    private final KafkaTopicsConfig config;
    private final String bootstrapServers;

    public RepositorySecretsTopic(KafkaTopicsConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    /** @throws IllegalStateException the broker did not answer in time; the caller tries again */
    void ensureCompacted() {
        long timeoutMs = config.createTimeout().toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 5000)))) {
            if (!admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS).contains(Topics.REPOSITORY_SECRETS)) {
                create(admin, timeoutMs);
                return;
            }
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, Topics.REPOSITORY_SECRETS);
            Config topicConfig = admin.describeConfigs(List.of(resource)).all().get(timeoutMs, TimeUnit.MILLISECONDS)
                    .get(resource);
            String policy = topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.errorf("%s has cleanup.policy=%s: set it to compact (kafka-configs --alter --add-config "
                        + "cleanup.policy=compact), or repositories' secrets are deleted with the topic's retention",
                        Topics.REPOSITORY_SECRETS, policy);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + Topics.REPOSITORY_SECRETS, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not check " + Topics.REPOSITORY_SECRETS + ": " + e.getMessage(), e);
        }
    }

    private void create(Admin admin, long timeoutMs) throws InterruptedException, TimeoutException {
        NewTopic topic = new NewTopic(Topics.REPOSITORY_SECRETS, config.partitions(), config.replicationFactor())
                .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
            admin.createTopics(List.of(topic)).all().get(timeoutMs, TimeUnit.MILLISECONDS);
            LOG.infof("Created %s, compacted, with %d partitions", Topics.REPOSITORY_SECRETS, config.partitions());
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("could not create " + Topics.REPOSITORY_SECRETS + ": "
                        + e.getCause().getMessage(), e);
            }
        }
    }
}
