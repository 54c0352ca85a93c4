package io.trunkline.commons.messaging;

import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.TrunklineEvent;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the event a Kafka record carries, by its CloudEvents type header. */
public final class IncomingEvents {

    private IncomingEvents() {
    }

    /**
     * @return the event, or empty when the record's type is one this service does not know
     * @throws EventCodec.MalformedEventException when the record does not hold a valid event
     */
    public static Optional<TrunklineEvent> read(ConsumerRecord<String, String> record) {
        CloudEventHeaders.Attributes attributes = CloudEventHeaders.read(record.headers());
        if (record.value() == null) {
            return Optional.empty();
        }
        return EventCodec.decode(attributes.type(), record.value());
    }
}
