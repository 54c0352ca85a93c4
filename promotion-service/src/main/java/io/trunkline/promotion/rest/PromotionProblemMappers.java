package io.trunkline.promotion.rest;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.trunkline.commons.rest.Problem;
import io.trunkline.promotion.service.AmbiguousRepositoryException;
import io.trunkline.promotion.service.ApprovalNotAllowedException;
import io.trunkline.promotion.service.CommandRefusedException;
import io.trunkline.promotion.service.DeploymentFinishedException;
import io.trunkline.promotion.service.DeploymentNotFoundException;
import io.trunkline.promotion.service.EnvironmentNotFoundException;
import io.trunkline.promotion.service.InvalidConfigurationException;
import io.trunkline.promotion.service.SecretsKeyMissingException;
import io.trunkline.promotion.service.WebhookSecretConflictException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * promotion-service's own errors as the {@link Problem} body every service answers with (the shared ones
 * are service-commons' {@code ProblemMappers}).
 */
public class PromotionProblemMappers {

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e, UriInfo uri) {
        String field = pathOf(e);
        return respond(400, "unknown-field", "Unknown field",
                "The body's field '" + field + "' is not one this service knows or honours.", uri,
                List.of(new Problem.FieldError(field, "is not a known field")));
    }

    @ServerExceptionMapper
    public Response deploymentNotFound(DeploymentNotFoundException e, UriInfo uri) {
        return respond(404, "deployment-not-found", "Deployment not found", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response deploymentFinished(DeploymentFinishedException e, UriInfo uri) {
        return respond(409, "deployment-finished", "Deployment already ended", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response commandRefused(CommandRefusedException e, UriInfo uri) {
        return respond(409, e.kind(), "Command refused", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response approvalNotAllowed(ApprovalNotAllowedException e, UriInfo uri) {
        return respond(403, "not-an-approver", "Not an approver of this environment", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response environmentNotFound(EnvironmentNotFoundException e, UriInfo uri) {
        return respond(404, "environment-not-found", "Environment not found", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response ambiguousRepository(AmbiguousRepositoryException e, UriInfo uri) {
        return respond(409, "ambiguous-repository", "Provider needed", e.getMessage(), uri,
                List.of(new Problem.FieldError("provider", "is required: both providers have this repository")));
    }

    @ServerExceptionMapper
    public Response invalidConfiguration(InvalidConfigurationException e, UriInfo uri) {
        return respond(400, "invalid-configuration", "Invalid repository configuration", e.getMessage(), uri,
                e.errors().stream().map(error -> new Problem.FieldError(error.field(), error.message())).toList());
    }

    @ServerExceptionMapper
    public Response secretsKeyMissing(SecretsKeyMissingException e, UriInfo uri) {
        return respond(503, "secrets-key-missing", "Webhook secrets cannot be stored", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response webhookSecretConflict(WebhookSecretConflictException e, UriInfo uri) {
        return respond(409, "webhook-secret-conflict", "Another webhook secret for this name", e.getMessage(), uri,
                List.of(new Problem.FieldError("webhookSecret", "differs from the other provider's repository of this name")));
    }

    private static Response respond(int status, String slug, String title, String detail, UriInfo uri,
            List<Problem.FieldError> errors) {
        Problem body = new Problem("urn:trunkline:problem:" + slug, title, status, detail,
                uri == null ? null : uri.getPath(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }

    /** {@code environments[0].target.succes}: where the field is in the body, as clients write it. */
    private static String pathOf(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
