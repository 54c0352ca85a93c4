package io.trunkline.status.rest;

import io.trunkline.commons.security.Roles;
import io.trunkline.status.service.DoraMetrics;
import io.trunkline.status.service.DoraReport;
import io.trunkline.status.service.RepositoryName;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

@RolesAllowed(Roles.VIEWER)
@Path("/api/metrics/dora")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Metrics")
public class DoraResource {

    private final DoraMetrics metrics;

    public DoraResource(DoraMetrics metrics) {
        this.metrics = metrics;
    }

    @GET
    @Operation(summary = "DORA metrics of an environment",
            description = "Deployment frequency, lead time for changes (first push of the commit to its successful "
                    + "deployment, median and p90), change failure rate (deployments that failed, or were followed by a "
                    + "failure or a rollback within the failure window, over all finished ones) and time to restore "
                    + "(failure of a working environment to the next success), over the last `days` UTC days including "
                    + "today, with a daily series. Durations in seconds.")
    public DoraReport dora(
            @Parameter(description = "workspace/slug; all repositories when absent") @QueryParam("repository") String repository,
            @Parameter(description = "environment name") @QueryParam("environment") @DefaultValue("production") String environment,
            @Parameter(description = "days covered, 1 to 366; default 30") @QueryParam("days") Integer days) {
        return metrics.report(
                repository == null || repository.isBlank() ? Optional.empty()
                        : Optional.of(RepositoryName.parse("repository", repository)),
                environment, Optional.ofNullable(days), Instant.now());
    }
}
