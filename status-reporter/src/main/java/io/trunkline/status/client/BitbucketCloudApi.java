package io.trunkline.status.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Bitbucket Cloud's REST API ({@code https://api.bitbucket.org/2.0}), the calls status-reporter makes. */
@RegisterRestClient(configKey = "bitbucket-cloud")
@RegisterClientHeaders(BitbucketCredentials.class)
@Path("/repositories/{workspace}/{slug}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface BitbucketCloudApi {

    /** Creates or replaces the status {@code key} on the commit; answers 201 or 200. */
    @POST
    @Path("/commit/{commit}/statuses/build")
    void postBuildStatus(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("commit") String commit, CommitStatus status);

    @POST
    @Path("/pullrequests/{pullRequest}/comments")
    Comment createComment(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("pullRequest") long pullRequest, Comment comment);

    /** The pull request's comments, newest first, whose text contains {@code marker}. */
    @GET
    @Path("/pullrequests/{pullRequest}/comments")
    CommentPage findComments(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("pullRequest") long pullRequest, @QueryParam("q") String query, @QueryParam("sort") String sort,
            @QueryParam("pagelen") int pageLength);

    @PUT
    @Path("/pullrequests/{pullRequest}/comments/{commentId}")
    Comment updateComment(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("pullRequest") long pullRequest, @PathParam("commentId") long commentId, Comment comment);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record CommentPage(java.util.List<Comment> values) {
    }

    /** A pull-request comment: {@code {"content": {"raw": "..."}}}; Bitbucket answers with its id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Comment(Long id, Content content) {

        static Comment of(String markdown) {
            return new Comment(null, new Content(markdown));
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Content(String raw) {
        }
    }
}
