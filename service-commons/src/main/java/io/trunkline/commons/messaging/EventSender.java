package io.trunkline.commons.messaging;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.trunkline.events.CloudEventHeaders;
import io.trunkline.events.EventCodec;
import io.trunkline.events.TrunklineEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Writes events to Kafka as CloudEvents (binary mode) through the {@code trunkline-events}
 * channel; the returned {@link Uni} completes when the broker has acknowledged the record.
 */
@ApplicationScoped
public class EventSender {

    public static final String CHANNEL = "trunkline-events";

    private final MutinyEmitter<String> emitter;
    private final String source;

    public EventSender(@Channel(CHANNEL) MutinyEmitter<String> emitter,
            @ConfigProperty(name = "quarkus.application.name") String source) {
        this.emitter = emitter;
        this.source = source;
    }

    public Uni<Void> send(String topic, TrunklineEvent event) {
        return send(topic, event.partitionKey(), event.eventId(), event.eventType(), event.subject(),
                event.occurredAt(), EventCodec.encode(event));
    }

    public Uni<Void> send(String topic, String key, UUID eventId, String type, String subject, Instant time, String payload) {
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic)
                .withKey(key)
                .withHeaders(CloudEventHeaders.kafkaHeaders(eventId, type, source, subject, time))
                .build();
        return emitter.sendMessage(Message.of(payload).addMetadata(metadata));
    }
}
