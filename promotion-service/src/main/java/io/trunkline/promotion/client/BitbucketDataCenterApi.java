package io.trunkline.promotion.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** A Bitbucket Data Center server's REST API ({@code <server>/rest/api/1.0}), the calls promotion-service makes. */
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

    /** One page of the branches whose name contains {@code filterText}. */
    @GET
    @Path("/branches")
    Page<Ref> branches(@PathParam("project") String project, @PathParam("slug") String slug,
            @QueryParam("filterText") String filterText, @QueryParam("start") int start);

    /** One page of the tags whose name contains {@code filterText} (null: all). */
    @GET
    @Path("/tags")
    Page<Ref> tags(@PathParam("project") String project, @PathParam("slug") String slug,
            @QueryParam("filterText") String filterText, @QueryParam("start") int start);

    /** One page of pull requests in {@code state} (OPEN). */
    @GET
    @Path("/pull-requests")
    Page<PullRequest> pullRequests(@PathParam("project") String project, @PathParam("slug") String slug,
            @QueryParam("state") String state, @QueryParam("start") int start);

    /** One pull request, whatever its state; 404 when the repository has none of that id (deleted). */
    @GET
    @Path("/pull-requests/{id}")
    PullRequest pullRequest(@PathParam("project") String project, @PathParam("slug") String slug,
            @PathParam("id") long id);

    /** A page of Data Center's paged lists. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Page<T>(List<T> values, boolean isLastPage, Integer nextPageStart) {
    }

    /** A branch or tag: its short name and the commit it points at. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ref(String displayId, String latestCommit) {
    }

    /** The parts of a pull request this service reads; {@code state} is OPEN, MERGED or DECLINED. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PullRequest(long id, String title, String state, PullRequestRef fromRef, PullRequestRef toRef,
            Participant author) {
    }

    /** One side of a pull request: branch, commit and repository. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PullRequestRef(String displayId, String latestCommit, Repository repository) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Repository(String slug, Project project) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Project(String key) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Participant(User user) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record User(String displayName) {
    }

    /** The part of Data Center's commit object this service reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Commit(String id) {
    }
}
