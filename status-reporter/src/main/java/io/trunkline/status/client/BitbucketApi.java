package io.trunkline.status.client;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * The Bitbucket endpoints status-reporter calls. {@link BitbucketClient} builds one instance per
 * installation kind, since Cloud and Data Center live at different base URLs.
 */
@RegisterRestClient(configKey = "bitbucket")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface BitbucketApi {

    /** Cloud: base URL {@code https://api.bitbucket.org/2.0}; answers 201 (created) or 200 (updated). */
    @POST
    @Path("/repositories/{workspace}/{slug}/commit/{commit}/statuses/build")
    void postCloudBuildStatus(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("commit") String commit, CommitStatus status);

    /** Data Center: base URL is the server's; answers 204. */
    @POST
    @Path("/rest/build-status/1.0/commits/{commit}")
    void postServerBuildStatus(@PathParam("commit") String commit, CommitStatus status);
}
