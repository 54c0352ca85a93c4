package io.trunkline.status.rest;

import io.smallrye.mutiny.Multi;
import io.trunkline.commons.security.Roles;
import io.trunkline.status.service.DeploymentChanges;
import io.trunkline.status.service.DeploymentView;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;

@RolesAllowed(Roles.VIEWER)
@Path("/api/events")
@Tag(name = "Events")
public class EventStreamResource {

    private final DeploymentChanges changes;

    public EventStreamResource(DeploymentChanges changes) {
        this.changes = changes;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deployment state changes, live",
            description = "Server-sent events: each event's data is a deployment (as in GET /api/deployments) "
                    + "whenever it enters a state or its reporting to Bitbucket changes.")
    public Multi<DeploymentView> events() {
        return changes.stream();
    }
}
