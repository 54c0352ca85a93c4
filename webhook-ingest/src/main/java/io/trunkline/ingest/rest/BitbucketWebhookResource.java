package io.trunkline.ingest.rest;

import io.trunkline.ingest.service.DeliveryAnswer;
import io.trunkline.ingest.service.DeliveryHeaders;
import io.trunkline.ingest.service.WebhookDeliveries;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.Map;

/**
 * Bitbucket Cloud and Data Center webhooks. The body is taken as a stream, so that one over the limit
 * is refused before it has all arrived. Errors are answered by {@link DeliveryProblemMappers}. No bearer
 * token: Bitbucket proves itself with the delivery's HMAC signature.
 */
@PermitAll
@Path(BitbucketWebhookPaths.WEBHOOK)
public class BitbucketWebhookResource {

    private final WebhookDeliveries deliveries;

    public BitbucketWebhookResource(WebhookDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response receive(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam("X-Event-Key") String eventKey,
            @HeaderParam("X-Request-UUID") String requestUuid,
            @HeaderParam("X-Hook-UUID") String hookUuid,
            @HeaderParam("X-Request-Id") String requestId,
            @HeaderParam("X-Hub-Signature") String signature,
            InputStream body) {
        DeliveryHeaders headers = new DeliveryHeaders(contentType, eventKey, requestUuid, hookUuid, requestId, signature);
        DeliveryAnswer answer = deliveries.receive(headers, body);
        if (answer instanceof DeliveryAnswer.Ignored ignored) {
            return Response.ok(Map.of("status", "ignored", "reason", ignored.reason())).build();
        }
        DeliveryAnswer.Accepted accepted = (DeliveryAnswer.Accepted) answer;
        return Response.accepted(Map.of("eventId", accepted.eventId(), "eventIds", accepted.eventIds(),
                "duplicate", accepted.duplicate())).build();
    }
}
