package io.trunkline.ingest.rest;

import io.trunkline.commons.rest.Problem;
import io.trunkline.commons.rest.ProblemException;
import io.trunkline.commons.rest.ProblemMappers;
import io.trunkline.ingest.config.WebhookConfig;
import io.trunkline.ingest.service.EventNotStoredException;
import io.trunkline.ingest.service.RejectedDeliveryException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The webhook's answers to refused deliveries and outages, in the shared problem+json shape. The
 * details say what is wrong, never a secret, a signature or text of the payload. An outage is a
 * {@code 503} with {@code Retry-After}, never a {@code 500}: Bitbucket sends the delivery again.
 */
public class DeliveryProblemMappers {

    private static final Logger LOG = Logger.getLogger(DeliveryProblemMappers.class);
    private static final String TOO_LARGE = "delivery-too-large";
    private static final String TOO_LARGE_TITLE = "Delivery too large";

    private final ProblemMappers problems = new ProblemMappers();
    private final WebhookConfig config;

    public DeliveryProblemMappers(WebhookConfig config) {
        this.config = config;
    }

    /** The 413 of a body over {@code maxBodyBytes}, also answered before the body is read ({@link OversizedDeliveryFilter}). */
    static Problem tooLarge(long maxBodyBytes, String path) {
        return new Problem("urn:trunkline:problem:" + TOO_LARGE, TOO_LARGE_TITLE, 413,
                "The body is larger than " + maxBodyBytes + " bytes, the most a delivery may have.", path, List.of());
    }

    @ServerExceptionMapper
    public Response rejected(RejectedDeliveryException e, UriInfo uri) {
        ProblemException problem = switch (e.rejection()) {
            case MALFORMED -> new ProblemException(400, "malformed-delivery", "Malformed delivery", e.getMessage());
            case BAD_SIGNATURE -> new ProblemException(401, "bad-signature", "Bad signature", e.getMessage());
            case TOO_LARGE -> new ProblemException(413, TOO_LARGE, TOO_LARGE_TITLE, e.getMessage());
            case NOT_JSON -> new ProblemException(415, "not-json", "Not JSON", e.getMessage());
        };
        Response response = problems.problem(problem, uri);
        if (e.rejection() == RejectedDeliveryException.Rejection.TOO_LARGE) {
            // the rest of the body was never read: the connection cannot carry another request
            return Response.fromResponse(response).header("Connection", "close").build();
        }
        return response;
    }

    @ServerExceptionMapper
    public Response notStored(EventNotStoredException e, UriInfo uri) {
        LOG.warnf("Delivery answered 503: %s (%s)", e.getMessage(), causeOf(e));
        long retryAfter = Math.max(1, config.retryAfter().toSeconds());
        ProblemException problem = new ProblemException(503, "event-not-stored", "Event not stored",
                "The event could not be stored: " + e.reason().description() + ". Send the delivery again in "
                        + retryAfter + " s.");
        return Response.fromResponse(problems.problem(problem, uri))
                .header(HttpHeaders.RETRY_AFTER, retryAfter)
                .build();
    }

    // exception class and message only: broker and driver messages name topics and hosts, never payloads
    private static String causeOf(Throwable e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
