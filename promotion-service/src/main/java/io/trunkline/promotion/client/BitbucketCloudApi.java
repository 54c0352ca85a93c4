package io.trunkline.promotion.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Bitbucket Cloud's REST API ({@code https://api.bitbucket.org/2.0}), the call promotion-service makes. */
@RegisterRestClient(configKey = "bitbucket-cloud")
@RegisterClientHeaders(BitbucketCredentials.class)
@Path("/repositories/{workspace}/{slug}")
@Produces(MediaType.APPLICATION_JSON)
interface BitbucketCloudApi {

    /** The commit a full or abbreviated hash names; 404 when the repository has none. */
    @GET
    @Path("/commit/{commit}")
    Commit commit(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("commit") String commit);

    /** The part of Cloud's commit object this service reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Commit(String hash) {
    }
}
