package io.trunkline.ingest.persistence;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.ingest.service.DeliveryId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

/**
 * The deliveries already answered 202, by Bitbucket's delivery id, with the event that answered
 * them. Kept for good: a row is a few dozen bytes, and a delivery is processed once however late
 * Bitbucket retries it.
 */
@ApplicationScoped
public class DeliveryLog {

    private final AgroalDataSource dataSource;

    public DeliveryLog(AgroalDataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Optional<UUID> eventIdOf(DeliveryId delivery) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT event_id FROM webhook_delivery WHERE provider = ? AND delivery_id = ?")) {
            select.setString(1, delivery.provider().id());
            select.setString(2, delivery.value());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? Optional.of(row.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the webhook delivery log", e);
        }
    }

    /** Records that {@code delivery} was answered with {@code eventId}; the first record stays. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void record(DeliveryId delivery, UUID eventId) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO webhook_delivery (provider, delivery_id, event_id) VALUES (?, ?, ?)
                        ON CONFLICT DO NOTHING""")) {
            insert.setString(1, delivery.provider().id());
            insert.setString(2, delivery.value());
            insert.setObject(3, eventId);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not read or write the webhook delivery log", e);
        }
    }
}
