package io.trunkline.ingest.messaging;

import io.trunkline.commons.messaging.EventSender;
import io.trunkline.events.Topics;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.EventNotStoredException;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Publishes an SCM event to {@code trunkline.scm-events} and waits for the broker's acknowledgement
 * ({@code acks=all}), at most {@code trunkline.webhook.publish-timeout}. The producer gives up on a
 * record before that ({@link ProducerTimeouts}), so a failure here means the record was not written,
 * except when the broker wrote it and its answer was lost: the retried delivery then carries the
 * same event id, which consumers drop.
 */
@ApplicationScoped
public class ScmEventPublisher {

    private final EventSender sender;
    private final WebhookConfig config;

    public ScmEventPublisher(EventSender sender, WebhookConfig config) {
        this.sender = sender;
        this.config = config;
    }

    /**
     * @throws EventNotStoredException the send failed, timed out, or the emitter's buffer was full
     */
    public void publish(TrunklineEvent event) {
        try {
            sender.send(Topics.SCM_EVENTS, event).await().atMost(config.publishTimeout());
        } catch (RuntimeException e) {
            throw new EventNotStoredException(EventNotStoredException.Reason.BROKER, e);
        }
    }
}
