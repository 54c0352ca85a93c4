package io.trunkline.promotion.rest;

import io.trunkline.commons.rest.ProblemException;
import io.trunkline.promotion.service.EnvironmentConfiguration;
import io.trunkline.promotion.service.RepositoryConfiguration;
import io.trunkline.promotion.service.RepositoryConfigurations;
import io.trunkline.promotion.service.RepositoryConfigurations.StoredConfiguration;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;

@Path("/api/repositories/{workspace}/{slug}")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryConfigResource {

    private final RepositoryConfigurations configurations;

    public RepositoryConfigResource(RepositoryConfigurations configurations) {
        this.configurations = configurations;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            RepositoryConfiguration body) {
        boolean created = configurations.put(workspace, slug, body);
        StoredConfiguration stored = configurations.get(workspace, slug).orElseThrow();
        return Response.status(created ? 201 : 200).entity(ConfigurationView.of(workspace, slug, stored)).build();
    }

    @GET
    public ConfigurationView get(@PathParam("workspace") String workspace, @PathParam("slug") String slug) {
        return configurations.get(workspace, slug)
                .map(stored -> ConfigurationView.of(workspace, slug, stored))
                .orElseThrow(() -> notConfigured(workspace, slug));
    }

    @DELETE
    public Response delete(@PathParam("workspace") String workspace, @PathParam("slug") String slug) {
        if (!configurations.delete(workspace, slug)) {
            throw notConfigured(workspace, slug);
        }
        return Response.noContent().build();
    }

    private static ProblemException notConfigured(String workspace, String slug) {
        return new ProblemException(404, "repository-not-configured", "Repository not configured",
                "No configuration exists for " + workspace + "/" + slug + ".");
    }

    /** What GET returns: the configuration without its secret, and whether one is set. */
    public record ConfigurationView(String workspace, String slug, String trunkBranch, String releaseTagPattern,
            boolean previewForks, boolean webhookSecretSet, List<EnvironmentConfiguration> environments,
            Instant updatedAt) {

        static ConfigurationView of(String workspace, String slug, StoredConfiguration stored) {
            RepositoryConfiguration config = stored.configuration();
            return new ConfigurationView(workspace, slug, config.trunkBranch(), config.releaseTagPattern(),
                    Boolean.TRUE.equals(config.previewForks()), stored.webhookSecretSet(), config.environments(),
                    stored.updatedAt());
        }
    }
}
