package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A fact one service publishes for others. The id is stable across redeliveries so that
 * consumers can recognise an event they already processed.
 */
public interface TrunklineEvent {

    UUID eventId();

    Instant occurredAt();

    /** The CloudEvents {@code type} attribute. */
    String eventType();

    /** The Kafka record key: everything with the same key stays in order. */
    String partitionKey();

    /** The CloudEvents {@code subject} attribute: what the event is about. */
    String subject();
}
