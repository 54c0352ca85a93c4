package io.trunkline.commons.outbox;

import io.agroal.api.AgroalDataSource;
import io.trunkline.commons.persistence.DatabaseFailure;
import io.trunkline.events.EventCodec;
import io.trunkline.events.TrunklineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.ZoneOffset;

/**
 * Records events in the caller's transaction; {@link OutboxRelay} publishes them once it commits.
 * A rolled-back state change takes its events with it, a committed one cannot lose them.
 */
@ApplicationScoped
public class Outbox {

    private static final Object RELAY_REQUESTED = Outbox.class.getName() + ".relayRequested";

    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;
    private final AgroalDataSource dataSource;

    public Outbox(OutboxRelay relay, TransactionSynchronizationRegistry transactions, AgroalDataSource dataSource) {
        this.relay = relay;
        this.transactions = transactions;
        this.dataSource = dataSource;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, TrunklineEvent event) {
        // plain SQL on the transaction's connection (the pool hands the one enlisted in it): it runs for every
        // event, and nothing reads the row back
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO outbox_event (event_id, topic, partition_key, event_type, subject, occurred_at, payload)
                        VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, event.eventId());
            insert.setString(2, topic);
            insert.setString(3, event.partitionKey());
            insert.setString(4, event.eventType());
            insert.setString(5, event.subject());
            insert.setObject(6, event.occurredAt().atOffset(ZoneOffset.UTC));
            insert.setString(7, EventCodec.encode(event));
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new DatabaseFailure("Could not append " + event.eventType() + " to the outbox", e);
        }
        relayAfterCommit();
    }

    private void relayAfterCommit() {
        if (transactions.getResource(RELAY_REQUESTED) != null) {
            return;
        }
        transactions.putResource(RELAY_REQUESTED, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    relay.requestRelay();
                }
            }
        });
    }
}
