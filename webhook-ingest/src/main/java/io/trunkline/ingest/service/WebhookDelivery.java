package io.trunkline.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.trunkline.events.ScmProvider;
import java.util.Optional;

/** One verified webhook delivery: where from, its headers and the parsed body. */
public record WebhookDelivery(ScmProvider provider, String eventKey, String deliveryIdHeader, JsonNode body) {

    /** Bitbucket's id of the delivery, the same on each of its retries; empty when it came without one. */
    public Optional<DeliveryId> deliveryId() {
        return DeliveryId.of(provider, deliveryIdHeader);
    }
}
