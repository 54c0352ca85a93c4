package io.trunkline.ingest.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.util.UUID;

/** The changes already accepted, so that a retried delivery is not published again. */
@ApplicationScoped
public class ReceivedEvents {

    private final EntityManager entityManager;

    public ReceivedEvents(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Records the event in the current transaction; false when it was already recorded. A concurrent
     * identical delivery waits on the row lock until this transaction ends.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean record(UUID eventId, String deliveryId, String eventType) {
        return entityManager.createNativeQuery("""
                        INSERT INTO received_event (event_id, delivery_id, event_type)
                        VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING""")
                .setParameter(1, eventId)
                .setParameter(2, deliveryId)
                .setParameter(3, eventType)
                .executeUpdate() == 1;
    }
}
