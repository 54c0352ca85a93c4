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

/** A Bitbucket Data Center server's REST API ({@code {server}/rest/api/latest}), the calls status-reporter makes. */
@RegisterRestClient(configKey = "bitbucket-data-center")
@RegisterClientHeaders(BitbucketCredentials.class)
@Path("/rest/api/latest/projects/{project}/repos/{slug}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
interface BitbucketDataCenterApi {

    /** Creates or replaces the build status {@code key} on the commit; answers 204. */
    @POST
    @Path("/commits/{commit}/builds")
    void postBuildStatus(@PathParam("project") String project, @PathParam("slug") String slug,
            @PathParam("commit") String commit, BuildStatus status);

    @POST
    @Path("/pull-requests/{pullRequest}/comments")
    Comment createComment(@PathParam("project") String project, @PathParam("slug") String slug,
            @PathParam("pullRequest") long pullRequest, Comment comment);

    @GET
    @Path("/pull-requests/{pullRequest}/comments/{commentId}")
    Comment getComment(@PathParam("project") String project, @PathParam("slug") String slug,
            @PathParam("pullRequest") long pullRequest, @PathParam("commentId") long commentId);

    /** The pull request's activities, newest first; a general comment is a {@code COMMENTED} activity. */
    @GET
    @Path("/pull-requests/{pullRequest}/activities")
    ActivityPage activities(@PathParam("project") String project, @PathParam("slug") String slug,
            @PathParam("pullRequest") long pullRequest, @QueryParam("limit") int limit);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ActivityPage(java.util.List<Activity> values) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Activity(String action, Comment comment) {
    }

    /** Edits the comment; {@code version} must be the comment's current one, or the server answers 409. */
    @PUT
    @Path("/pull-requests/{pullRequest}/comments/{commentId}")
    Comment updateComment(@PathParam("project") String project, @PathParam("slug") String slug,
            @PathParam("pullRequest") long pullRequest, @PathParam("commentId") long commentId, Comment comment);

    /** Data Center's build status: {@code ref} instead of {@code refname}, and CANCELLED where Cloud says STOPPED. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record BuildStatus(String key, String state, String name, String url, String description, String ref) {

        static BuildStatus of(CommitStatus status) {
            String state = status.state() == BuildState.STOPPED ? "CANCELLED" : status.state().name();
            return new BuildStatus(status.key(), state, status.name(), status.url(), status.description(),
                    status.refname());
        }
    }

    /** A pull-request comment: {@code {"text": ..., "version": ...}}. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Comment(Long id, Integer version, String text) {
    }
}
