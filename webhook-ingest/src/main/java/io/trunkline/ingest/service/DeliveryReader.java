package io.trunkline.ingest.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.RejectedDeliveryException.Rejection;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Instant;

/** Checks a webhook request (size, signature, headers, JSON) and says what it means. */
@ApplicationScoped
public class DeliveryReader {

    private final SigningPolicy signingPolicy;
    private final WebhookConfig config;
    private final ObjectMapper mapper;

    public DeliveryReader(SigningPolicy signingPolicy, WebhookConfig config, ObjectMapper mapper) {
        this.signingPolicy = signingPolicy;
        this.config = config;
        this.mapper = mapper;
    }

    /** @throws RejectedDeliveryException the request is not an acceptable delivery */
    public NormalisedDelivery read(WebhookRequest request) {
        byte[] body = request.body();
        if (body == null || body.length == 0) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The request body is empty.");
        }
        if (body.length > config.maxBodyBytes()) {
            throw new RejectedDeliveryException(Rejection.TOO_LARGE,
                    "The body has " + body.length + " bytes; at most " + config.maxBodyBytes() + " are accepted.");
        }
        if (!signingPolicy.accepts(body, request.signature())) {
            throw new RejectedDeliveryException(Rejection.BAD_SIGNATURE, request.signature() == null
                    ? "The X-Hub-Signature header is missing."
                    : "The X-Hub-Signature header does not match the body and the configured secret.");
        }
        if (request.eventKey() == null || request.eventKey().isBlank()) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The X-Event-Key header is missing.");
        }
        WebhookDelivery delivery = new WebhookDelivery(request.eventKey(), request.deliveryId(), parse(body));
        try {
            return BitbucketCloudNormaliser.normalise(delivery, Instant.now());
        } catch (InvalidPayloadException e) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, e.getMessage());
        }
    }

    private JsonNode parse(byte[] body) {
        JsonNode node;
        try {
            node = mapper.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The body could not be read.");
        }
        if (node == null || !node.isObject()) {
            throw new RejectedDeliveryException(Rejection.MALFORMED, "The body is not a JSON object.");
        }
        return node;
    }
}
