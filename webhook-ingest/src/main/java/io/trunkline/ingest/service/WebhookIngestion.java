package io.trunkline.ingest.service;

import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.messaging.ScmEventPublisher;
import io.trunkline.ingest.persistence.DatabaseUnavailableException;
import io.trunkline.ingest.service.DeliveryAnswer.Accepted;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Accepts a normalised delivery, answering only once the broker holds its events:
 * <ol>
 *   <li>a delivery id answered before gets the same answer; otherwise its ref changes are sorted into
 *       new ones and repeats, and the new ones claimed (one short transaction);</li>
 *   <li>the events, only those of new changes, are published and acknowledged, with no transaction or
 *       connection held;</li>
 *   <li>the claims and the delivery id are recorded (short transaction).</li>
 * </ol>
 * An outage in 1–2 is an {@link EventNotStoredException} (503, Bitbucket retries); one in 3 is not:
 * the events are in Kafka, and a retry would publish them again under the same event ids, which every
 * consumer drops.
 */
@ApplicationScoped
public class WebhookIngestion {

    private static final Logger LOG = Logger.getLogger(WebhookIngestion.class);

    private final ChangeClaims claims;
    private final ScmEventPublisher publisher;

    public WebhookIngestion(ChangeClaims claims, ScmEventPublisher publisher) {
        this.claims = claims;
        this.publisher = publisher;
    }

    /**
     * @throws EventNotStoredException the events could not be stored now; the delivery must be sent again
     */
    public Accepted accept(NormalisedDelivery delivery) {
        Claim claim = claims.claim(delivery);
        if (claim.duplicate()) {
            LOG.infof(claim.sameDelivery() ? "Delivery %s was accepted before as event %s: nothing published"
                    : "Delivery %s only repeats changes accepted as event %s: nothing published",
                    deliveryName(delivery), claim.earlierEventId());
            return Accepted.duplicateOf(claim.earlierEventId());
        }
        try {
            publisher.publish(claim.events());
        } catch (EventNotStoredException e) {
            withdraw(claim, delivery);
            throw e;
        }
        try {
            claims.confirm(claim, delivery.deliveryId());
        } catch (DatabaseUnavailableException e) {
            LOG.warnf("Delivery %s: its events are in Kafka but could not be recorded (%s); a retry of the "
                    + "delivery publishes them again under the same event ids", deliveryName(delivery), e.getMessage());
        }
        return Accepted.published(claim.events().stream().map(TrunklineEvent::eventId).toList());
    }

    private void withdraw(Claim claim, NormalisedDelivery delivery) {
        try {
            claims.withdraw(claim);
        } catch (DatabaseUnavailableException e) {
            LOG.warnf("Delivery %s: the claims of its events could not be withdrawn (%s); their changes count as "
                    + "accepted until Bitbucket's retry of this delivery publishes them", deliveryName(delivery),
                    e.getMessage());
        }
    }

    private static String deliveryName(NormalisedDelivery delivery) {
        return delivery.deliveryId().map(DeliveryId::value).orElse("(without id)");
    }
}
