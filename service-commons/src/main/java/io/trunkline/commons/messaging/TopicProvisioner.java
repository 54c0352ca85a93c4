package io.trunkline.commons.messaging;

import io.quarkus.runtime.StartupEvent;
import io.trunkline.commons.config.KafkaTopicsConfig;
import io.trunkline.events.Topics;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Creates the Trunkline topics and their dead-letter topics with the configured partition count
 * before the consumers subscribe (a topic the broker creates on first use gets the broker's
 * default). {@link Topics#REPOSITORY_SECRETS} is created compacted ({@code cleanup.policy=compact}:
 * it must keep each repository's latest secret for good, not for the retention time) and without a
 * dead-letter topic (its one reader, webhook-ingest, never dead-letters: an unreadable record leaves
 * its repository refusing deliveries). Existing topics are left as they are: adding partitions would
 * move keys between partitions and break their order; an existing secrets topic that is not compacted
 * is reported at ERROR. A broker that does not answer in time does not stop the start.
 */
@ApplicationScoped
public class TopicProvisioner {

    private static final Logger LOG = Logger.getLogger(TopicProvisioner.class);
    /** Topics that keep each key's latest record for good; they have no dead-letter topic. */
    private static final Set<String> COMPACTED = Set.of(Topics.REPOSITORY_SECRETS);

    private final KafkaTopicsConfig config;
    private final String bootstrapServers;

    public TopicProvisioner(KafkaTopicsConfig config,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers) {
        this.config = config;
        this.bootstrapServers = bootstrapServers;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) StartupEvent event) {
        List<String> wanted = new ArrayList<>();
        for (String topic : List.of(Topics.SCM_EVENTS, Topics.DEPLOY_REQUESTS, Topics.DEPLOYMENT_STATUS)) {
            wanted.add(topic);
            wanted.add(Topics.deadLetter(topic));
        }
        wanted.add(Topics.REPOSITORY_SECRETS);
        long timeoutMs = config.createTimeout().toMillis();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeoutMs, 5000)))) {
            Set<String> existing = admin.listTopics().names().get(timeoutMs, TimeUnit.MILLISECONDS);
            List<NewTopic> missing = wanted.stream().filter(topic -> !existing.contains(topic))
                    .map(topic -> new NewTopic(topic, config.partitions(), config.replicationFactor())
                            .configs(COMPACTED.contains(topic)
                                    ? Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                                    : Map.of()))
                    .toList();
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get(timeoutMs, TimeUnit.MILLISECONDS);
                    LOG.infof("Created topics %s with %d partitions", missing.stream().map(NewTopic::name).toList(),
                            config.partitions());
                } catch (ExecutionException e) {
                    // another instance created them at the same moment: fine
                    LOG.debugf("Topic creation: %s", e.getCause().getMessage());
                }
            }
            warnAboutFewerPartitions(admin, wanted.stream().filter(existing::contains).toList(), timeoutMs);
            reportUncompacted(admin, COMPACTED.stream().filter(existing::contains).toList(), timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warnf("Could not check the Kafka topics at start (%s); the broker creates them on first use",
                    e.getMessage());
        }
    }

    private static void reportUncompacted(Admin admin, List<String> topics, long timeoutMs)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        List<ConfigResource> resources = topics.stream()
                .map(topic -> new ConfigResource(ConfigResource.Type.TOPIC, topic)).toList();
        Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(timeoutMs, TimeUnit.MILLISECONDS);
        configs.forEach((resource, topicConfig) -> {
            String policy = topicConfig.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
            if (!policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
                LOG.errorf("%s has cleanup.policy=%s: set it to compact (kafka-configs --alter --add-config "
                        + "cleanup.policy=compact), or what it holds is deleted with the topic's retention",
                        resource.name(), policy);
            }
        });
    }

    private void warnAboutFewerPartitions(Admin admin, List<String> topics, long timeoutMs)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                .get(timeoutMs, TimeUnit.MILLISECONDS);
        descriptions.values().stream()
                .filter(description -> description.partitions().size() < config.partitions())
                .forEach(description -> LOG.warnf("Topic %s has %d partitions, fewer than the %d configured: "
                                + "at most %d instances of a consumer group share its work", description.name(),
                        description.partitions().size(), config.partitions(), description.partitions().size()));
    }
}
