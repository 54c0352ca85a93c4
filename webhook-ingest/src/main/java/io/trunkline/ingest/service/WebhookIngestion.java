package io.trunkline.ingest.service;

import io.trunkline.commons.messaging.EventSender;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.persistence.ReceivedEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * Accepts a normalised event: records it and publishes it, answering only once the broker holds
 * it. Publishing happens inside the recording transaction, so a failed publish leaves no record
 * and Bitbucket's retry goes through again.
 */
@ApplicationScoped
public class WebhookIngestion {

    private final ReceivedEvents receivedEvents;
    private final EventSender sender;
    private final WebhookConfig config;

    public WebhookIngestion(ReceivedEvents receivedEvents, EventSender sender, WebhookConfig config) {
        this.receivedEvents = receivedEvents;
        this.sender = sender;
        this.config = config;
    }

    /** @return the accepted event's id, the same for a retried delivery */
    @Transactional
    public Accepted accept(TrunklineEvent event, String deliveryId) {
        boolean first = receivedEvents.record(event.eventId(), deliveryId, event.eventType());
        if (first) {
            try {
                sender.send(Topics.SCM_EVENTS, event).await().atMost(config.publishTimeout());
            } catch (RuntimeException e) {
                throw new EventNotStoredException(e);
            }
        }
        return new Accepted(event.eventId(), !first);
    }

    public record Accepted(UUID eventId, boolean duplicate) {
    }

    /** The broker did not acknowledge the event: the delivery must be retried. */
    public static class EventNotStoredException extends RuntimeException {
        EventNotStoredException(Throwable cause) {
            super("the event could not be stored in Kafka", cause);
        }
    }
}
