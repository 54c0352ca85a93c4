package io.trunkline.status.rest;

import io.trunkline.commons.rest.Problem;
import io.trunkline.status.service.DeploymentNotFoundException;
import io.trunkline.status.service.InvalidQueryException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** status-reporter's domain exceptions as {@code application/problem+json}, in the body every service uses. */
public class StatusProblems {

    @ServerExceptionMapper
    public Response notFound(DeploymentNotFoundException e, UriInfo uri) {
        return problem(404, "deployment-not-found", "Deployment not found", e.getMessage(), uri, List.of());
    }

    @ServerExceptionMapper
    public Response invalidQuery(InvalidQueryException e, UriInfo uri) {
        return problem(400, "invalid-request", "Invalid request", "The request has invalid parameters.", uri,
                List.of(new Problem.FieldError(e.parameter(), e.getMessage())));
    }

    private static Response problem(int status, String slug, String title, String detail, UriInfo uri,
            List<Problem.FieldError> errors) {
        Problem body = new Problem("urn:trunkline:problem:" + slug, title, status, detail, uri.getPath(), errors);
        return Response.status(status).type(Problem.MEDIA_TYPE).entity(body).build();
    }
}
