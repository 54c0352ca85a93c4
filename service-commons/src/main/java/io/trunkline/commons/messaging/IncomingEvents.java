package io.trunkline.commons.messaging;

import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.TrunklineEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Reads the event a Kafka record carries, by its CloudEvents type header. */
public final class IncomingEvents {

    private IncomingEvents() {
    }

    /**
     * @return the event the record carries
     * @throws PoisonRecordException when the record holds no event, or one of a type or version this
     *         service does not know (a newer producer: the record waits on the dead-letter topic until
     *         this service is upgraded and it is replayed)
     */
    public static TrunklineEvent read(ConsumerRecord<String, String> record) {
        CloudEventHeaders.Attributes attributes;
        try {
            attributes = CloudEventHeaders.read(record.headers());
        } catch (RuntimeException e) {
            throw new PoisonRecordException("the CloudEvents headers are malformed: " + e.getMessage(), e);
        }
        if (attributes.id() == null || attributes.type() == null) {
            throw new PoisonRecordException("the record has no CloudEvents id or type header");
        }
        if (record.value() == null) {
            throw new PoisonRecordException("the record has no value");
        }
        try {
            return EventCodec.decode(attributes.type(), record.value())
                    .orElseThrow(() -> new PoisonRecordException("unknown event type " + attributes.type()));
        } catch (EventCodec.MalformedEventException e) {
            throw new PoisonRecordException(e.getMessage(), e);
        }
    }
}
