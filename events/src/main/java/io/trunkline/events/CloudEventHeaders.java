package io.trunkline.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * CloudEvents 1.0 Kafka protocol binding, binary mode: the attributes travel as {@code ce_*}
 * headers and the record value is the event's JSON data.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String TYPE = "ce_type";
    public static final String SOURCE = "ce_source";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String CONTENT_TYPE = "content-type";

    private CloudEventHeaders() {
    }

    /** The headers of the record carrying {@code event}; {@code source} names the producing service. */
    public static Map<String, String> of(TrunklineEvent event, String source) {
        return of(event.eventId(), event.eventType(), source, event.subject(), event.occurredAt());
    }

    public static Map<String, String> of(UUID id, String type, String source, String subject, Instant time) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(SPEC_VERSION, "1.0");
        headers.put(ID, id.toString());
        headers.put(TYPE, type);
        headers.put(SOURCE, "/trunkline/" + source);
        headers.put(SUBJECT, subject);
        headers.put(TIME, time.toString());
        headers.put(CONTENT_TYPE, "application/json");
        return headers;
    }

    /** {@link #of(UUID, String, String, String, Instant)} as Kafka record headers. */
    public static Headers kafkaHeaders(UUID id, String type, String source, String subject, Instant time) {
        RecordHeaders headers = new RecordHeaders();
        of(id, type, source, subject, time).forEach((name, value) -> headers.add(name, value.getBytes(StandardCharsets.UTF_8)));
        return headers;
    }

    /** The Kafka record that carries {@code event} on {@code topic}: key, CloudEvents headers, JSON value. */
    public static ProducerRecord<String, String> record(String topic, TrunklineEvent event, String source) {
        return new ProducerRecord<>(topic, null, event.partitionKey(), EventCodec.encode(event),
                kafkaHeaders(event.eventId(), event.eventType(), source, event.subject(), event.occurredAt()));
    }

    public static Attributes read(Headers headers) {
        String id = text(headers, ID);
        String time = text(headers, TIME);
        return new Attributes(
                id == null ? null : UUID.fromString(id),
                text(headers, TYPE),
                text(headers, SOURCE),
                text(headers, SUBJECT),
                time == null ? null : Instant.parse(time));
    }

    private static String text(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    public record Attributes(UUID id, String type, String source, String subject, Instant time) {
    }
}
