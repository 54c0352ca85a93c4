package io.trunkline.status.rest;

import io.trunkline.commons.security.Roles;
import io.trunkline.events.DeploymentState;
import io.trunkline.status.service.DeploymentDetailView;
import io.trunkline.status.service.DeploymentFilter;
import io.trunkline.status.service.DeploymentPage;
import io.trunkline.status.service.DeploymentQueries;
import io.trunkline.status.service.DeploymentView;
import io.trunkline.status.service.InvalidQueryException;
import io.trunkline.status.service.RepositoryName;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RolesAllowed(Roles.VIEWER)
@Path("/api/deployments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deployments")
public class DeploymentResource {

    private final DeploymentQueries deployments;

    public DeploymentResource(DeploymentQueries deployments) {
        this.deployments = deployments;
    }

    /** A page of deployments, newest first, and the link to the next page. */
    public record DeploymentList(List<DeploymentView> items, String next) {
    }

    @GET
    @Operation(summary = "Deployments, newest first",
            description = "Filtered by repository, environment, state and creation time; cursor pagination: "
                    + "follow `next` (also sent as a Link header) until it is null.")
    @APIResponse(responseCode = "200", description = "A page of deployments",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = DeploymentList.class)))
    @APIResponse(responseCode = "400", description = "A parameter that cannot be understood, named in the problem's errors",
            content = @Content(mediaType = "application/problem+json"))
    public Response list(
            @Parameter(description = "workspace/slug (project/slug on Data Center)") @QueryParam("repository") String repository,
            @Parameter(description = "environment name, e.g. production or preview/pr-7") @QueryParam("environment") String environment,
            @Parameter(description = "one or more states, repeated or comma-separated, e.g. FAILED,REJECTED") @QueryParam("state") List<String> states,
            @Parameter(description = "only deployments created at or after: an ISO instant or a date (UTC)") @QueryParam("since") String since,
            @Parameter(description = "the cursor from the previous page's next link") @QueryParam("after") String after,
            @Parameter(description = "page size, 1 to 200") @QueryParam("limit") @DefaultValue("50") int limit,
            @Context UriInfo uri) {
        DeploymentFilter filter = new DeploymentFilter(
                blank(repository) ? Optional.empty() : Optional.of(RepositoryName.parse("repository", repository)),
                blank(environment) ? Optional.empty() : Optional.of(environment),
                states(states),
                blank(since) ? Optional.empty() : Optional.of(instant("since", since)));
        DeploymentPage page = deployments.list(filter, blank(after) ? null : after, limit);
        URI next = page.after() == null ? null : uri.getRequestUriBuilder().replaceQueryParam("after", page.after()).build();
        Response.ResponseBuilder response = Response.ok(new DeploymentList(page.items(),
                next == null ? null : next.getRawPath() + "?" + next.getRawQuery()));
        if (next != null) {
            response.header("Link", "<" + next.getRawPath() + "?" + next.getRawQuery() + ">; rel=\"next\"");
        }
        return response.build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "One deployment with its timeline",
            description = "Every state it entered with time and reason, its links, who or what triggered it, and how "
                    + "reporting it to Bitbucket went.")
    public DeploymentDetailView get(@PathParam("id") String id) {
        return deployments.find(uuid(id));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("id", "must be a deployment id (a UUID)");
        }
    }

    private static Set<DeploymentState> states(List<String> values) {
        Set<DeploymentState> states = EnumSet.noneOf(DeploymentState.class);
        List<String> names = new ArrayList<>();
        values.forEach(value -> names.addAll(List.of(value.split(","))));
        for (String name : names) {
            if (name.isBlank()) {
                continue;
            }
            try {
                states.add(DeploymentState.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                throw new InvalidQueryException("state", "must be one of " + List.of(DeploymentState.values()));
            }
        }
        return states;
    }

    private static Instant instant(String parameter, String text) {
        try {
            return text.length() == 10 ? LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidQueryException(parameter, "must be an ISO instant (2026-03-01T12:00:00Z) or a date (2026-03-01)");
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
