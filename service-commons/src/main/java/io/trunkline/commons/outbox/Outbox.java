package io.trunkline.commons.outbox;

import io.trunkline.events.EventCodec;
import io.trunkline.events.TrunklineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

/**
 * Records events in the caller's transaction; {@link OutboxRelay} publishes them once it commits.
 * A rolled-back state change takes its events with it, a committed one cannot lose them.
 */
@ApplicationScoped
public class Outbox {

    private static final Object RELAY_REQUESTED = Outbox.class.getName() + ".relayRequested";

    private final OutboxRelay relay;
    private final TransactionSynchronizationRegistry transactions;

    public Outbox(OutboxRelay relay, TransactionSynchronizationRegistry transactions) {
        this.relay = relay;
        this.transactions = transactions;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(String topic, TrunklineEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = event.eventId();
        row.topic = topic;
        row.partitionKey = event.partitionKey();
        row.eventType = event.eventType();
        row.subject = event.subject();
        row.occurredAt = event.occurredAt();
        row.payload = EventCodec.encode(event);
        row.persist();
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
