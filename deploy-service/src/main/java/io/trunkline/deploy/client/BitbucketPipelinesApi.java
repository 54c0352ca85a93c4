package io.trunkline.deploy.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Bitbucket Cloud's Pipelines API ({@code quarkus.rest-client.bitbucket.url}, by default
 * {@code https://api.bitbucket.org/2.0}). Path parameters are percent-encoded by the client, so a
 * pipeline's {@code {uuid}} goes out as {@code %7B...%7D}.
 */
@RegisterRestClient(configKey = "bitbucket")
@Path("/repositories/{workspace}/{slug}/pipelines")
interface BitbucketPipelinesApi {

    @POST
    @Path("/")
    @Consumes(MediaType.APPLICATION_JSON)
    Response trigger(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @HeaderParam("Authorization") String authorization, @HeaderParam("Idempotency-Key") String idempotencyKey,
            String body);

    @GET
    @Path("/{uuid}")
    Response pipeline(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("uuid") String uuid, @HeaderParam("Authorization") String authorization);

    @POST
    @Path("/{uuid}/stopPipeline")
    Response stop(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("uuid") String uuid, @HeaderParam("Authorization") String authorization);
}
