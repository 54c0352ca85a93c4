package io.trunkline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.commons.rest.ProblemException;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.BitbucketCloudNormaliser;
import io.trunkline.ingest.service.InvalidPayloadException;
import io.trunkline.ingest.service.NormalisedDelivery;
import io.trunkline.ingest.service.SigningPolicy;
import io.trunkline.ingest.service.WebhookDelivery;
import io.trunkline.ingest.service.WebhookIngestion;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.jboss.logging.Logger;

@Path("/webhooks/bitbucket")
public class BitbucketWebhookResource {

    private static final Logger LOG = Logger.getLogger(BitbucketWebhookResource.class);

    private final SigningPolicy signingPolicy;
    private final WebhookIngestion ingestion;
    private final WebhookConfig config;
    private final ObjectMapper mapper;

    public BitbucketWebhookResource(SigningPolicy signingPolicy, WebhookIngestion ingestion, WebhookConfig config,
            ObjectMapper mapper) {
        this.signingPolicy = signingPolicy;
        this.ingestion = ingestion;
        this.config = config;
        this.mapper = mapper;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam("X-Event-Key") String eventKey,
            @HeaderParam("X-Request-UUID") String requestUuid,
            @HeaderParam("X-Request-Id") String requestId,
            @HeaderParam("X-Hub-Signature") String signature,
            byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProblemException(400, "malformed-delivery", "Malformed delivery", "The request body is empty.");
        }
        if (body.length > config.maxBodyBytes()) {
            throw new ProblemException(413, "delivery-too-large", "Delivery too large",
                    "The body has " + body.length + " bytes; at most " + config.maxBodyBytes() + " are accepted.");
        }
        if (!signingPolicy.accepts(body, signature)) {
            throw new ProblemException(401, "bad-signature", "Bad signature", signature == null
                    ? "The X-Hub-Signature header is missing."
                    : "The X-Hub-Signature header does not match the body and the configured secret.");
        }
        if (eventKey == null || eventKey.isBlank()) {
            throw new ProblemException(400, "malformed-delivery", "Malformed delivery", "The X-Event-Key header is missing.");
        }
        String deliveryId = requestUuid != null ? requestUuid : requestId;
        NormalisedDelivery normalised = normalise(new WebhookDelivery(eventKey, deliveryId, parse(body)));
        if (normalised.eventToPublish().isEmpty()) {
            return Response.ok(Map.of("status", "ignored", "reason", normalised.ignoredBecause())).build();
        }
        try {
            WebhookIngestion.Accepted accepted = ingestion.accept(normalised.event(), deliveryId);
            return Response.accepted(Map.of("eventId", accepted.eventId(), "duplicate", accepted.duplicate())).build();
        } catch (WebhookIngestion.EventNotStoredException e) {
            LOG.warnf("Delivery %s answered 503, Kafka did not acknowledge: %s", deliveryId, e.getCause());
            throw new ProblemException(503, "event-not-stored", "Event not stored",
                    "The event could not be stored; Bitbucket retries the delivery.");
        }
    }

    private static NormalisedDelivery normalise(WebhookDelivery delivery) {
        try {
            return BitbucketCloudNormaliser.normalise(delivery, Instant.now());
        } catch (InvalidPayloadException e) {
            throw new ProblemException(400, "malformed-delivery", "Malformed delivery", e.getMessage());
        }
    }

    private JsonNode parse(byte[] body) {
        try {
            JsonNode node = mapper.readTree(body);
            if (node == null || !node.isObject()) {
                throw new ProblemException(400, "malformed-delivery", "Malformed delivery", "The body is not a JSON object.");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ProblemException(400, "malformed-delivery", "Malformed delivery",
                    "The body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ProblemException(400, "malformed-delivery", "Malformed delivery", "The body could not be read.");
        }
    }
}
