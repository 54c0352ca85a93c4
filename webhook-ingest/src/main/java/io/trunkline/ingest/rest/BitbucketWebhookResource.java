package io.trunkline.ingest.rest;

import io.trunkline.ingest.service.DeliveryReader;
import io.trunkline.ingest.service.NormalisedDelivery;
import io.trunkline.ingest.service.WebhookIngestion;
import io.trunkline.ingest.service.WebhookRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;

/** Bitbucket Cloud and Data Center webhooks. Errors are answered by {@link DeliveryProblemMappers}. */
@Path("/webhooks/bitbucket")
public class BitbucketWebhookResource {

    private final DeliveryReader reader;
    private final WebhookIngestion ingestion;

    public BitbucketWebhookResource(DeliveryReader reader, WebhookIngestion ingestion) {
        this.reader = reader;
        this.ingestion = ingestion;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam("X-Event-Key") String eventKey,
            @HeaderParam("X-Request-UUID") String requestUuid,
            @HeaderParam("X-Request-Id") String requestId,
            @HeaderParam("X-Hub-Signature") String signature,
            byte[] body) {
        NormalisedDelivery delivery = reader.read(new WebhookRequest(eventKey, requestUuid, requestId, signature, body));
        if (delivery.eventToPublish().isEmpty()) {
            return Response.ok(Map.of("status", "ignored", "reason", delivery.ignoredBecause())).build();
        }
        WebhookIngestion.Accepted accepted = ingestion.accept(delivery);
        return Response.accepted(Map.of("eventId", accepted.eventId(), "duplicate", accepted.duplicate())).build();
    }
}
