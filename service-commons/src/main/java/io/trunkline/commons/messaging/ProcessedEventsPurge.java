package io.trunkline.commons.messaging;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduled;
import io.trunkline.commons.config.ConsumerConfig;
import io.trunkline.commons.persistence.DatabaseFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jboss.logging.Logger;

/**
 * Deletes the idempotent-consumer log's rows once no redelivery can come any more: Kafka keeps
 * records for days, the log keeps their ids for {@code trunkline.consumer.processed-event-retention}.
 */
@ApplicationScoped
public class ProcessedEventsPurge {

    private static final Logger LOG = Logger.getLogger(ProcessedEventsPurge.class);

    private final AgroalDataSource dataSource;
    private final ConsumerConfig config;

    public ProcessedEventsPurge(AgroalDataSource dataSource, ConsumerConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @Transactional
    void purge() {
        int deleted;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement(
                        "DELETE FROM processed_event WHERE processed_at < ?")) {
            delete.setObject(1, Instant.now().minus(config.processedEventRetention()).atOffset(ZoneOffset.UTC));
            deleted = delete.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not purge processed-event ids", e);
        }
        if (deleted > 0) {
            LOG.infof("Purged %d processed-event ids older than %s", deleted, config.processedEventRetention());
        }
    }
}
