package io.trunkline.promotion.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trunkline.promotion.persistence.EnvironmentHoldEntity;
import io.trunkline.promotion.service.OperatorCommands;
import io.trunkline.promotion.service.OperatorCommands.EnvironmentStatus;
import io.trunkline.commons.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Operator commands on an environment of a configured repository: redeploy or roll back, release the hold
 * of a rollback. {@code ?provider=} names the provider where both have the repository configured.
 */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/repositories/{workspace}/{slug}/environments/{environment}")
@Produces(MediaType.APPLICATION_JSON)
public class EnvironmentCommandResource {

    private final OperatorCommands commands;
    private final OperatorSubject subject;

    public EnvironmentCommandResource(OperatorCommands commands, OperatorSubject subject) {
        this.commands = commands;
        this.subject = subject;
    }

    /** The commit to deploy again: its full hash or at least its first 7 characters. */
    public record RedeployRequest(
            @NotNull(message = "is required")
            @Pattern(regexp = "[0-9a-f]{7,64}", message = "must be a commit hash: 7 to 64 lower-case hexadecimal characters")
            String commit) {
    }

    @POST
    @Path("/redeploy")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Redeploy or roll back to a commit that once succeeded in the environment",
            description = "A commit other than the one the environment runs now is a rollback: the environment is "
                    + "held (later deployments the rules plan wait, QUEUED with 'held after rollback') until release. "
                    + "Answers with the new deployment; 404 unknown repository or environment; 409 when the "
                    + "commit never succeeded there, matches several, or the environment deploys pull requests.")
    public DeploymentView redeploy(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("environment") String environment, @QueryParam("provider") String provider,
            @Valid @NotNull(message = "a body with the commit is required") RedeployRequest request) {
        return DeploymentView.of(commands.redeploy(ProviderParameter.parse(provider), workspace, slug, environment,
                request.commit(), subject.current()));
    }

    @POST
    @Path("/release")
    @Operation(summary = "Release the hold a rollback placed on the environment",
            description = "The deployments that waited for it go on. Answers with the environment as it now is; "
                    + "404 unknown repository or environment; 409 when it is not held.")
    public EnvironmentView release(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("environment") String environment, @QueryParam("provider") String provider) {
        return EnvironmentView.of(commands.release(ProviderParameter.parse(provider), workspace, slug, environment,
                subject.current()));
    }

    /** An environment as a command left it: its hold (null: none), what it runs, what waits. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvironmentView(String provider, String workspace, String slug, String environment, HoldView hold,
            DeploymentView running, List<DeploymentView> waiting) {

        static EnvironmentView of(EnvironmentStatus status) {
            return new EnvironmentView(status.repository().provider().id(), status.repository().workspace(),
                    status.repository().slug(), status.environment(), status.hold().map(HoldView::of).orElse(null),
                    status.running().map(DeploymentView::of).orElse(null),
                    status.waiting().stream().map(DeploymentView::of).toList());
        }
    }

    /** Who held the environment, when, after the rollback to which commit. */
    public record HoldView(String commit, UUID deploymentId, String heldBy, Instant heldAt) {

        static HoldView of(EnvironmentHoldEntity hold) {
            return new HoldView(hold.commit, hold.deploymentId, hold.heldBy, hold.heldAt);
        }
    }
}
