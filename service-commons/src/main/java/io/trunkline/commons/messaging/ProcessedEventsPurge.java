package io.trunkline.commons.messaging;

import io.quarkus.scheduler.Scheduled;
import io.trunkline.commons.config.ConsumerConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import org.jboss.logging.Logger;

/**
 * Deletes the idempotent-consumer log's rows once no redelivery can come any more: Kafka keeps
 * records for days, the log keeps their ids for {@code trunkline.consumer.processed-event-retention}.
 */
@ApplicationScoped
public class ProcessedEventsPurge {

    private static final Logger LOG = Logger.getLogger(ProcessedEventsPurge.class);

    private final EntityManager entityManager;
    private final ConsumerConfig config;

    public ProcessedEventsPurge(EntityManager entityManager, ConsumerConfig config) {
        this.entityManager = entityManager;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        int deleted = entityManager.createNativeQuery("DELETE FROM processed_event WHERE processed_at < ?1")
                .setParameter(1, Instant.now().minus(config.processedEventRetention()))
                .executeUpdate();
        if (deleted > 0) {
            LOG.infof("Purged %d processed-event ids older than %s", deleted, config.processedEventRetention());
        }
    }
}
