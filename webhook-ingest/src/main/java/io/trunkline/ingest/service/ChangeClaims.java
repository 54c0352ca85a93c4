package io.trunkline.ingest.service;

import io.smallrye.faulttolerance.api.Guard;
import io.trunkline.events.RefChange;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.TrunklineEvent;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.persistence.DatabaseUnavailableException;
import io.trunkline.ingest.persistence.DeliveryLog;
import io.trunkline.ingest.persistence.LastRefChange;
import io.trunkline.ingest.persistence.RefChangeLog;
import io.trunkline.ingest.persistence.RefKey;
import io.trunkline.ingest.persistence.ShortTransactions;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Sorts a delivery's ref changes into new ones and repeats ({@link ChangeWindow}) and claims the
 * new ones, in one short transaction that holds the refs' advisory locks, so that two webhooks
 * reporting one push at the same moment (on one instance or two) publish it once. A delivery that
 * finds the same change claimed by another one still waiting for the broker waits for that outcome.
 */
@ApplicationScoped
public class ChangeClaims {

    private final RefChangeLog refChanges;
    private final DeliveryLog deliveries;
    private final ShortTransactions transactions;
    private final ChangeWindow window;
    private final Guard waitForChangeInFlight;

    public ChangeClaims(RefChangeLog refChanges, DeliveryLog deliveries, ShortTransactions transactions,
            WebhookConfig config) {
        this.refChanges = refChanges;
        this.deliveries = deliveries;
        this.transactions = transactions;
        // a claim is published or withdrawn within the publish timeout; one still open after twice that is stale
        this.window = new ChangeWindow(config.dedupeWindow(), config.publishTimeout().multipliedBy(2));
        this.waitForChangeInFlight = Guard.create()
                .withDescription("waiting for another delivery of the same change")
                .withRetry()
                .maxRetries(-1)
                .delay(100, ChronoUnit.MILLIS)
                .jitter(25, ChronoUnit.MILLIS)
                .maxDuration(config.publishTimeout().plusSeconds(1).toMillis(), ChronoUnit.MILLIS)
                .retryOn(ChangeInFlightException.class)
                .done()
                .build();
    }

    /**
     * (a) and (b) of a delivery, in one short transaction: a delivery id answered before gets the
     * same answer; otherwise what the delivery brings that was not accepted before: the pull-request
     * change, the refs' changes that are not repeats. A delivery that only repeats accepted changes is
     * recorded under its delivery id with the earlier event.
     *
     * @throws EventNotStoredException the database is unavailable, or the same change is still in flight
     */
    public Claim claim(NormalisedDelivery delivery) {
        try {
            return waitForChangeInFlight.get(() -> transactions.call(() -> claimOnce(delivery, Instant.now())),
                    Claim.class);
        } catch (ChangeInFlightException e) {
            throw new EventNotStoredException(EventNotStoredException.Reason.CHANGE_IN_FLIGHT, e);
        } catch (DatabaseUnavailableException e) {
            throw new EventNotStoredException(EventNotStoredException.Reason.DATABASE, e);
        }
    }

    /**
     * (d) of a delivery: its events are in Kafka; the claimed refs hold an accepted change and the
     * delivery id is answered with its first event from now on.
     *
     * @throws DatabaseUnavailableException the database is unavailable
     */
    public void confirm(Claim claim, Optional<DeliveryId> deliveryId) {
        UUID firstEventId = claim.events().get(0).eventId();
        transactions.run(() -> {
            claim.refs().forEach(claimed -> refChanges.markPublished(claimed.ref(), claimed.eventId()));
            deliveryId.ifPresent(id -> deliveries.record(id, firstEventId));
        });
    }

    /**
     * The events could not be published: the refs hold what they held before the claim, so that a
     * second webhook's report of the same change is not taken for a repeat of a change never published.
     *
     * @throws DatabaseUnavailableException the database is unavailable
     */
    public void withdraw(Claim claim) {
        transactions.run(() -> claim.refs().forEach(claimed ->
                refChanges.withdraw(claimed.ref(), claimed.eventId(), claimed.previous())));
    }

    private Claim claimOnce(NormalisedDelivery delivery, Instant now) {
        Optional<UUID> answered = delivery.deliveryId().flatMap(deliveries::eventIdOf);
        if (answered.isPresent()) {
            return Claim.answeredBefore(answered.get());
        }
        List<RefKey> keys = delivery.events().stream()
                .filter(RefsPushed.class::isInstance)
                .map(RefsPushed.class::cast)
                .flatMap(push -> push.changes().stream()
                        .map(change -> RefKey.of(push.repository(), change.refType(), change.refName())))
                .toList();
        refChanges.lock(keys);
        List<TrunklineEvent> toPublish = new ArrayList<>();
        List<Claim.ClaimedRef> claimed = new ArrayList<>();
        UUID earlierEventId = null;
        for (TrunklineEvent event : delivery.events()) {
            if (!(event instanceof RefsPushed push)) {
                toPublish.add(event); // pull-request changes are recognised by their delivery id only
                continue;
            }
            List<RefChange> fresh = new ArrayList<>();
            for (RefChange change : push.changes()) {
                RefKey key = RefKey.of(push.repository(), change.refType(), change.refName());
                Optional<LastRefChange> last = refChanges.last(key);
                ChangeWindow.Verdict verdict = window.judge(last, change, push.eventId(), now);
                switch (verdict.kind()) {
                    case IN_FLIGHT -> throw new ChangeInFlightException(verdict.earlierEventId());
                    case DUPLICATE -> earlierEventId = earlierEventId == null ? verdict.earlierEventId() : earlierEventId;
                    case NEW -> {
                        refChanges.put(key, LastRefChange.claimed(change.oldCommit(), change.newCommit(),
                                push.eventId(), now));
                        claimed.add(new Claim.ClaimedRef(key, push.eventId(), last));
                        fresh.add(change);
                    }
                }
            }
            if (fresh.size() == push.changes().size()) {
                toPublish.add(push);
            } else if (!fresh.isEmpty()) {
                toPublish.add(new RefsPushed(push.eventId(), push.occurredAt(), push.repository(), fresh, push.actor(),
                        push.deliveryId()));
            }
        }
        if (toPublish.isEmpty()) {
            UUID answer = earlierEventId;
            delivery.deliveryId().ifPresent(id -> deliveries.record(id, answer));
            return Claim.duplicateOf(answer);
        }
        return Claim.toPublish(toPublish, claimed);
    }
}
