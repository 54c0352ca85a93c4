package io.trunkline.ingest.service;

import com.fasterxml.jackson.databind.JsonNode;

/** One webhook delivery: its headers and the parsed body. */
public record WebhookDelivery(String eventKey, String deliveryId, JsonNode body) {
}
