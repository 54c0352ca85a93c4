package io.trunkline.promotion.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.trunkline.commons.rest.ProblemException;
import io.trunkline.events.ScmProvider;
import io.trunkline.promotion.service.EnvironmentConfiguration;
import io.trunkline.promotion.service.ReconcileSetting;
import io.trunkline.promotion.service.RepositoryConfiguration;
import io.trunkline.promotion.service.RepositoryConfigurations;
import io.trunkline.promotion.service.RepositoryConfigurations.PutResult;
import io.trunkline.promotion.service.RepositoryConfigurations.StoredConfiguration;
import io.trunkline.commons.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The configuration API. {@code ?provider=bitbucket-cloud|bitbucket-data-center} names the provider; it may
 * be left out where only one provider has the repository configured (a first PUT without it configures
 * Bitbucket Cloud). Changes are the admin's; reading a configuration (secrets masked) is a viewer's.
 */
@RolesAllowed(Roles.ADMIN)
@Path("/api/repositories/{workspace}/{slug}")
@Produces(MediaType.APPLICATION_JSON)
public class RepositoryConfigResource {

    private final RepositoryConfigurations configurations;
    private final OperatorSubject subject;

    public RepositoryConfigResource(RepositoryConfigurations configurations, OperatorSubject subject) {
        this.configurations = configurations;
        this.subject = subject;
    }

    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public Response put(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @QueryParam("provider") String provider, RepositoryConfiguration body) {
        PutResult result = configurations.put(ProviderParameter.parse(provider), workspace, slug, body, subject.current());
        return Response.status(result.created() ? 201 : 200).entity(ConfigurationView.of(result.stored())).build();
    }

    @GET
    @RolesAllowed(Roles.VIEWER)
    public ConfigurationView get(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @QueryParam("provider") String provider) {
        Optional<ScmProvider> named = ProviderParameter.parse(provider);
        return configurations.find(named, workspace, slug)
                .map(ConfigurationView::of)
                .orElseThrow(() -> notConfigured(workspace, slug, named));
    }

    @DELETE
    public Response delete(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @QueryParam("provider") String provider) {
        Optional<ScmProvider> named = ProviderParameter.parse(provider);
        if (!configurations.delete(named, workspace, slug, subject.current())) {
            throw notConfigured(workspace, slug, named);
        }
        return Response.noContent().build();
    }

    /** Removes the repository's own webhook secret: its deliveries are then checked against the global one. */
    @DELETE
    @Path("/webhook-secret")
    public Response deleteWebhookSecret(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @QueryParam("provider") String provider) {
        Optional<ScmProvider> named = ProviderParameter.parse(provider);
        if (!configurations.removeWebhookSecret(named, workspace, slug, subject.current())) {
            throw notConfigured(workspace, slug, named);
        }
        return Response.noContent().build();
    }

    private static ProblemException notConfigured(String workspace, String slug, Optional<ScmProvider> provider) {
        return new ProblemException(404, "repository-not-configured", "Repository not configured",
                "No configuration exists for " + workspace + "/" + slug
                        + provider.map(named -> " on " + named.id()).orElse("") + ".");
    }

    /** What GET returns: the configuration without its secret, and whether one is set. */
    public record ConfigurationView(String provider, String workspace, String slug, String trunkBranch,
            String releaseTagPattern, boolean previewForks, boolean webhookSecretSet,
            List<EnvironmentConfiguration> environments, Instant updatedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) ReconcileSetting reconcile) {

        static ConfigurationView of(StoredConfiguration stored) {
            RepositoryConfiguration config = stored.configuration();
            return new ConfigurationView(stored.repository().provider().id(), stored.repository().workspace(),
                    stored.repository().slug(), config.trunkBranch(), config.releaseTagPattern(),
                    Boolean.TRUE.equals(config.previewForks()), stored.webhookSecretSet(), config.environments(),
                    stored.updatedAt(), config.reconcile());
        }
    }
}
