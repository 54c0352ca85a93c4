package io.trunkline.deploy.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Pulumi Cloud REST API's stacks and Deployments ({@code quarkus.rest-client.pulumi.url}, by default
 * {@code https://api.pulumi.com}); {@code Authorization: token <access token>}.
 */
@RegisterRestClient(configKey = "pulumi")
@Path("/api/stacks/{organization}/{project}")
@ClientHeaderParam(name = "Accept", value = "application/vnd.pulumi+8")
interface PulumiDeploymentsApi {

    @GET
    @Path("/{stack}")
    Response stack(@PathParam("organization") String organization, @PathParam("project") String project,
            @PathParam("stack") String stack, @HeaderParam("Authorization") String authorization);

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    Response createStack(@PathParam("organization") String organization, @PathParam("project") String project,
            @HeaderParam("Authorization") String authorization, String body);

    @GET
    @Path("/{stack}/deployments/settings")
    Response settings(@PathParam("organization") String organization, @PathParam("project") String project,
            @PathParam("stack") String stack, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/{stack}/deployments/settings")
    @Consumes(MediaType.APPLICATION_JSON)
    Response saveSettings(@PathParam("organization") String organization, @PathParam("project") String project,
            @PathParam("stack") String stack, @HeaderParam("Authorization") String authorization, String body);

    @POST
    @Path("/{stack}/deployments")
    @Consumes(MediaType.APPLICATION_JSON)
    Response deploy(@PathParam("organization") String organization, @PathParam("project") String project,
            @PathParam("stack") String stack, @HeaderParam("Authorization") String authorization,
            @HeaderParam("Idempotency-Key") String idempotencyKey, String body);

    @GET
    @Path("/{stack}/deployments/{id}")
    Response deployment(@PathParam("organization") String organization, @PathParam("project") String project,
            @PathParam("stack") String stack, @PathParam("id") String id,
            @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/{stack}/deployments/{id}/cancel")
    Response cancel(@PathParam("organization") String organization, @PathParam("project") String project,
            @PathParam("stack") String stack, @PathParam("id") String id,
            @HeaderParam("Authorization") String authorization);
}
