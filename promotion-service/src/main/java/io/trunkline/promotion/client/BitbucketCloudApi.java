package io.trunkline.promotion.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import java.util.List;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/** Bitbucket Cloud's REST API ({@code https://api.bitbucket.org/2.0}), the calls promotion-service makes. */
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

    /** A branch and its head commit; 404 when the repository has no such branch. */
    @GET
    @Path("/refs/branches/{name}")
    Ref branch(@PathParam("workspace") String workspace, @PathParam("slug") String slug, @PathParam("name") String name);

    /** One page of tags; {@code q} such as {@code name ~ "release-"} (null: all). */
    @GET
    @Path("/refs/tags")
    Page<Ref> tags(@PathParam("workspace") String workspace, @PathParam("slug") String slug, @QueryParam("q") String q,
            @QueryParam("pagelen") int pageLength, @QueryParam("page") int page);

    /** One page of pull requests in {@code state}. */
    @GET
    @Path("/pullrequests")
    Page<PullRequest> pullRequests(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @QueryParam("state") String state, @QueryParam("pagelen") int pageLength, @QueryParam("page") int page);

    /** One pull request, whatever its state; 404 when the repository has none of that id (deleted). */
    @GET
    @Path("/pullrequests/{id}")
    PullRequest pullRequest(@PathParam("workspace") String workspace, @PathParam("slug") String slug,
            @PathParam("id") long id);

    /** A page of Cloud's paginated lists: {@code next} is absent on the last page. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Page<T>(List<T> values, String next) {
    }

    /** A branch or tag: its name and the commit it points at. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Ref(String name, Commit target) {
    }

    /**
     * The parts of a pull request this service reads; {@code source.commit.hash} has 12 characters; {@code state}
     * is OPEN, MERGED, DECLINED or SUPERSEDED.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record PullRequest(long id, String title, String state, Endpoint source, Endpoint destination, Account author) {
    }

    /** One side of a pull request; {@code repository} is null when a fork was deleted. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Endpoint(Branch branch, Commit commit, Repository repository) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Branch(String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Repository(@JsonProperty("full_name") String fullName) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Account(@JsonProperty("display_name") String displayName) {
    }

    /** The part of Cloud's commit object this service reads. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Commit(String hash) {
    }
}
