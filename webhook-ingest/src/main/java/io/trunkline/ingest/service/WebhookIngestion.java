package io.trunkline.ingest.service;

import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.messaging.ScmEventPublisher;
import io.trunkline.ingest.persistence.DatabaseUnavailableException;
import io.trunkline.ingest.persistence.DeliveryLog;
import io.trunkline.ingest.persistence.ShortTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Accepts a normalised delivery, answering only once the broker holds its event:
 * <ol>
 *   <li>a delivery id answered before gets the same answer (short transaction);</li>
 *   <li>its ref changes are sorted into new ones and repeats, and the new ones claimed (short transaction);</li>
 *   <li>the event, with only the new changes, is published and acknowledged, with no transaction or
 *       connection held;</li>
 *   <li>the claims and the delivery id are recorded (short transaction).</li>
 * </ol>
 * An outage in 1–3 is an {@link EventNotStoredException} (503, Bitbucket retries); one in 4 is not:
 * the event is in Kafka, and a retry would publish it again under the same event id, which every
 * consumer drops.
 */
@ApplicationScoped
public class WebhookIngestion {

    private static final Logger LOG = Logger.getLogger(WebhookIngestion.class);

    private final DeliveryLog deliveries;
    private final ChangeClaims claims;
    private final ScmEventPublisher publisher;
    private final ShortTransactions transactions;

    public WebhookIngestion(DeliveryLog deliveries, ChangeClaims claims, ScmEventPublisher publisher,
            ShortTransactions transactions) {
        this.deliveries = deliveries;
        this.claims = claims;
        this.publisher = publisher;
        this.transactions = transactions;
    }

    /**
     * @throws EventNotStoredException the event could not be stored now; the delivery must be sent again
     */
    public Accepted accept(NormalisedDelivery delivery) {
        TrunklineEvent event = delivery.event();
        Optional<UUID> answered = answeredBefore(delivery.deliveryId());
        if (answered.isPresent()) {
            LOG.infof("Delivery %s was accepted before as event %s: nothing published", deliveryName(delivery),
                    answered.get());
            return Accepted.duplicateOf(answered.get());
        }
        Claim claim = claims.claim(delivery);
        if (claim.duplicate()) {
            LOG.infof("Delivery %s only repeats changes accepted as event %s: nothing published",
                    deliveryName(delivery), claim.earlierEventId());
            return Accepted.duplicateOf(claim.earlierEventId());
        }
        try {
            publisher.publish(claim.event());
        } catch (EventNotStoredException e) {
            withdraw(claim, delivery);
            throw e;
        }
        try {
            claims.confirm(claim, delivery.deliveryId());
        } catch (DatabaseUnavailableException e) {
            LOG.warnf("Delivery %s: event %s is in Kafka but could not be recorded (%s); a retry of the delivery "
                    + "publishes it again under the same event id", deliveryName(delivery), event.eventId(),
                    e.getMessage());
        }
        return Accepted.first(event.eventId());
    }

    private Optional<UUID> answeredBefore(Optional<DeliveryId> deliveryId) {
        if (deliveryId.isEmpty()) {
            return Optional.empty();
        }
        try {
            return transactions.call(() -> deliveries.eventIdOf(deliveryId.get()));
        } catch (DatabaseUnavailableException e) {
            throw new EventNotStoredException(EventNotStoredException.Reason.DATABASE, e);
        }
    }

    private void withdraw(Claim claim, NormalisedDelivery delivery) {
        try {
            claims.withdraw(claim);
        } catch (DatabaseUnavailableException e) {
            LOG.warnf("Delivery %s: the claim of event %s could not be withdrawn (%s); its changes count as "
                    + "accepted until Bitbucket's retry of this delivery publishes them", deliveryName(delivery),
                    claim.event().eventId(), e.getMessage());
        }
    }

    private static String deliveryName(NormalisedDelivery delivery) {
        return delivery.deliveryId().map(DeliveryId::value).orElse("(without id)");
    }

    /** The answer to a delivery: the event that carries it, and whether it had been accepted before. */
    public record Accepted(UUID eventId, boolean duplicate) {

        static Accepted first(UUID eventId) {
            return new Accepted(eventId, false);
        }

        static Accepted duplicateOf(UUID earlierEventId) {
            return new Accepted(earlierEventId, true);
        }
    }
}
