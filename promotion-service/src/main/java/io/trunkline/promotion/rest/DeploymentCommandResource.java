package io.trunkline.promotion.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.promotion.service.DeploymentNotFoundException;
import io.trunkline.promotion.service.OperatorCommands;
import io.trunkline.commons.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

/** Operator commands on one deployment. Each answers with the deployment as it now is. */
@RolesAllowed(Roles.OPERATOR)
@Path("/api/deployments/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class DeploymentCommandResource {

    private final OperatorCommands commands;
    private final OperatorSubject subject;
    private final ObjectMapper mapper;

    public DeploymentCommandResource(OperatorCommands commands, OperatorSubject subject, ObjectMapper mapper) {
        this.commands = commands;
        this.subject = subject;
        this.mapper = mapper;
    }

    /** An optional reason, for people. */
    public record CommandRequest(String reason) {
    }

    @POST
    @Path("/approve")
    @Operation(summary = "Approve a deployment waiting for approval",
            description = "WAITING_APPROVAL → QUEUED; it starts when its turn comes and its gates let it through. "
                    + "404 unknown deployment, 409 when it does not wait for approval, 403 when the environment lists "
                    + "approvers and the caller's token grants none of those roles or groups.")
    public DeploymentView approve(@PathParam("id") String id) {
        return DeploymentView.of(commands.approve(uuid(id), subject.current(), subject.memberships()));
    }

    @POST
    @Path("/cancel")
    @Operation(summary = "Cancel a deployment that has not ended",
            description = "Not yet handed to deploy-service: CANCELLED at once. Handed over: deploy-service is asked "
                    + "to stop it, and it ends CANCELLED when the run ends (cancelRequested says so meanwhile). "
                    + "404 unknown deployment, 409 when it has already ended.")
    public DeploymentView cancel(@PathParam("id") String id,
            @RequestBody(content = @Content(schema = @Schema(implementation = CommandRequest.class))) String body)
            throws JsonProcessingException {
        return DeploymentView.of(commands.cancel(uuid(id), subject.current(), reasonOf(body)));
    }

    /** Why the freeze does not apply to this deployment: required, it goes to the audit log. */
    public record OverrideRequest(@NotBlank(message = "is required: say why the freeze does not apply") String reason) {
    }

    @POST
    @Path("/override-freeze")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Let a deployment through the environment's freeze windows",
            description = "For a deployment not handed to deploy-service yet; a reason is required. Its other gates "
                    + "still apply. 404 unknown deployment, 409 when it has ended or was already handed over, 400 "
                    + "without a reason.")
    public DeploymentView overrideFreeze(@PathParam("id") String id,
            @Valid @NotNull(message = "a body with the reason is required") OverrideRequest request) {
        return DeploymentView.of(commands.overrideFreeze(uuid(id), subject.current(), request.reason()));
    }

    /** The body is optional, also its content type: none, empty, or {@code {"reason": "..."}}. */
    private String reasonOf(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        CommandRequest request = mapper.readValue(body, CommandRequest.class);
        return request == null ? null : request.reason();
    }

    /** An id that is not a UUID names no deployment: 404, as an unknown one. */
    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new DeploymentNotFoundException(id);
        }
    }
}
