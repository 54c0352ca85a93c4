package io.trunkline.ingest.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.DeliveryHeaders;
import io.trunkline.ingest.service.WebhookDeliveries;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a webhook whose {@code Content-Length} is over {@code trunkline.webhook.max-body-bytes}
 * with 413 and a problem body at once, before any of the body is read, and closes the connection.
 * A body without {@code Content-Length} (chunked) is counted while it is read and refused the same
 * way once it passes the limit ({@link io.trunkline.ingest.service.DeliveryReader}).
 */
@ApplicationScoped
public class OversizedDeliveryFilter {

    /** Above the HTTP layer's own handlers, so that it answers before anything reads the body. */
    static final int PRIORITY = 10_000;

    private final WebhookConfig config;
    private final WebhookDeliveries deliveries;
    private final String problemBody;

    public OversizedDeliveryFilter(WebhookConfig config, WebhookDeliveries deliveries, ObjectMapper mapper)
            throws JsonProcessingException {
        this.config = config;
        this.deliveries = deliveries;
        this.problemBody = mapper.writeValueAsString(DeliveryProblemMappers.tooLarge(config.maxBodyBytes(),
                BitbucketWebhookPaths.WEBHOOK));
    }

    void register(@Observes Filters filters) {
        filters.register(this::check, PRIORITY);
    }

    void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.path().startsWith(BitbucketWebhookPaths.WEBHOOK) && declaredLength(request) > config.maxBodyBytes()) {
            deliveries.refusedAsTooLarge(new DeliveryHeaders(request.getHeader(HttpHeaders.CONTENT_TYPE),
                    request.getHeader("X-Event-Key"), request.getHeader("X-Request-UUID"),
                    request.getHeader("X-Hook-UUID"), request.getHeader("X-Request-Id"), null));
            context.response()
                    .setStatusCode(413)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
                    .end(problemBody);
            return;
        }
        context.next();
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // the HTTP layer refuses it
        }
    }
}
