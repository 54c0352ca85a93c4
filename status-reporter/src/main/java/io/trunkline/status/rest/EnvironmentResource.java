package io.trunkline.status.rest;

import io.trunkline.commons.security.Roles;
import io.trunkline.status.service.EnvironmentViews;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RolesAllowed(Roles.VIEWER)
@Path("/api/environments")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Environments")
public class EnvironmentResource {

    private final EnvironmentViews environments;

    public EnvironmentResource(EnvironmentViews environments) {
        this.environments = environments;
    }

    @GET
    @Operation(summary = "What runs where now, per repository",
            description = "Per environment: the deployment running now, the newest deployment, and those queued, waiting "
                    + "for approval or in progress with their reasons (holds, freeze windows, soaks). Previews carry "
                    + "their pull request; torn-down previews are left out.")
    public List<EnvironmentViews.RepositoryEnvironments> list() {
        return environments.all();
    }
}
