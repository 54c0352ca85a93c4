package io.trunkline.ingest.service;

import io.trunkline.events.TrunklineEvent;
import java.util.Optional;

/** What a delivery means: an event to publish, or why none is needed. */
public record NormalisedDelivery(TrunklineEvent event, String ignoredBecause) {

    public static NormalisedDelivery of(TrunklineEvent event) {
        return new NormalisedDelivery(event, null);
    }

    public static NormalisedDelivery ignored(String reason) {
        return new NormalisedDelivery(null, reason);
    }

    public Optional<TrunklineEvent> eventToPublish() {
        return Optional.ofNullable(event);
    }
}
