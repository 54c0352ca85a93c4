package io.trunkline.promotion.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import io.trunkline.commons.rest.Problem;
import io.trunkline.commons.rest.ProblemException;
import io.trunkline.promotion.persistence.AuditEntryEntity;
import io.trunkline.promotion.service.AuditAction;
import io.trunkline.promotion.service.AuditLog;
import io.trunkline.commons.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /api/audit}: every configuration change and operator command, newest first (admin). */
@RolesAllowed(Roles.ADMIN)
@Path("/api/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private static final int MAX_LIMIT = 500;

    private final AuditLog auditLog;

    public AuditResource(AuditLog auditLog) {
        this.auditLog = auditLog;
    }

    /** One page of entries; {@code next} is the link to the following page, null on the last. */
    public record AuditPage(List<AuditEntryView> items, String next) {
    }

    /** One entry: who (subject and roles), when, what; {@code before} and {@code after} are configurations with secrets masked. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AuditEntryView(long id, Instant at, String subject, List<String> roles, String action, String provider, String workspace,
            String slug, String environment, UUID deploymentId, String summary,
            @JsonRawValue String before, @JsonRawValue String after) {

        static AuditEntryView of(AuditEntryEntity entry) {
            return new AuditEntryView(entry.id, entry.recordedAt, entry.subject,
                    entry.roles == null || entry.roles.isBlank() ? List.of() : List.of(entry.roles.split(" ")), entry.action, entry.provider,
                    entry.workspace, entry.slug, entry.environment, entry.deploymentId, entry.summary, entry.before,
                    entry.after);
        }
    }

    @GET
    @Operation(summary = "The audit log, newest first",
            description = "Filters: repository (workspace/slug), action (e.g. deployment.approved), deploymentId. "
                    + "Cursor pagination: follow next until it is null.")
    public AuditPage list(@QueryParam("repository") String repository, @QueryParam("action") String action,
            @QueryParam("deploymentId") String deploymentId, @QueryParam("before") String before,
            @QueryParam("limit") @DefaultValue("100") String limitText) {
        int limit;
        try {
            limit = Integer.parseInt(limitText);
        } catch (NumberFormatException e) {
            limit = 0;
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit", "must be a number from 1 to " + MAX_LIMIT);
        }
        String[] name = repository == null || repository.isBlank() ? null : repository.split("/", -1);
        if (name != null && (name.length != 2 || name[0].isBlank() || name[1].isBlank())) {
            throw invalid("repository", "must be workspace/slug");
        }
        AuditAction auditAction = action == null || action.isBlank() ? null : AuditAction.fromId(action);
        if (action != null && !action.isBlank() && auditAction == null) {
            throw invalid("action", "must be one of " + Arrays.stream(AuditAction.values()).map(AuditAction::id).toList());
        }
        Long beforeId;
        try {
            beforeId = before == null || before.isBlank() ? null : Long.valueOf(before);
        } catch (NumberFormatException e) {
            throw invalid("before", "must be the id of an audit entry");
        }
        UUID deployment;
        try {
            deployment = deploymentId == null || deploymentId.isBlank() ? null : UUID.fromString(deploymentId);
        } catch (IllegalArgumentException e) {
            throw invalid("deploymentId", "must be a deployment id (a UUID)");
        }
        List<AuditEntryEntity> entries = auditLog.page(name == null ? null : name[0], name == null ? null : name[1],
                auditAction, deployment, beforeId, limit);
        String next = entries.size() < limit ? null : nextLink(repository, action, deploymentId,
                entries.get(entries.size() - 1).id, limit);
        return new AuditPage(entries.stream().map(AuditEntryView::of).toList(), next);
    }

    private static String nextLink(String repository, String action, String deploymentId, long before, int limit) {
        StringBuilder link = new StringBuilder("/api/audit?before=").append(before).append("&limit=").append(limit);
        if (repository != null && !repository.isBlank()) {
            link.append("&repository=").append(URLEncoder.encode(repository, StandardCharsets.UTF_8));
        }
        if (action != null && !action.isBlank()) {
            link.append("&action=").append(action);
        }
        if (deploymentId != null && !deploymentId.isBlank()) {
            link.append("&deploymentId=").append(deploymentId);
        }
        return link.toString();
    }

    private static ProblemException invalid(String field, String message) {
        return new ProblemException(400, "invalid-request", "Invalid request",
                "The query parameter '" + field + "' " + message + ".", List.of(new Problem.FieldError(field, message)));
    }
}
