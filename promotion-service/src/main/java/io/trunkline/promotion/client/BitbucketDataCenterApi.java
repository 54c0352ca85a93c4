package io.trunkline.promotion.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** A Bitbucket Data Center server's REST API ({@code <server>/rest/api/1.0}), the call promotion-service makes. */
@RegisterRestClient(configKey = "bitbucket-data-center")
@RegisterClientHeaders(BitbucketCredentials.class)
@Path("/rest/api/1.0/projects/{project}/repos/{slug}")
@Produces(MediaType.APPLICATION_JSON)
interface BitbucketDataCenterApi {

    /** The commit a full or abbreviated hash names; 404 when the repository has none. */
    @GET
    @Path("/commits/{commit}")
    Commit commit(@PathParam("project") String project, @PathParam("slug") String slug,
            @PathParam("commit") String commit);

    /** The part of Data Center's commit object this service reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Commit(String id) {
    }
}
