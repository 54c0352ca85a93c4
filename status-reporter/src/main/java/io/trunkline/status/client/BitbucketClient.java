package io.trunkline.status.client;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/**
 * The calls status-reporter makes to Bitbucket Cloud and Data Center, each with a timeout, one quick
 * retry of a network error or 5xx, and a circuit breaker per call (so that while Bitbucket is down,
 * queued updates wait without each costing a timeout). Failures come out as three kinds:
 * {@link BitbucketRejectedException} (refused for good), {@link BitbucketRateLimitedException} (429)
 * and {@link BitbucketUnavailableException} (try later). The durable retries live in the delivery queue.
 */
@ApplicationScoped
@Timeout(value = 6, unit = ChronoUnit.SECONDS)
@Retry(maxRetries = 1, delay = 200, jitter = 100, retryOn = BitbucketUnavailableException.class)
@CircuitBreaker(requestVolumeThreshold = 8, failureRatio = 0.75, delay = 30, delayUnit = ChronoUnit.SECONDS,
        failOn = {BitbucketUnavailableException.class, TimeoutException.class})
public class BitbucketClient {

    private static final int MAX_ERROR_BODY = 300;

    private final BitbucketCloudApi cloud;
    // created on first use: without TRUNKLINE_BITBUCKET_SERVER_URL it is never used, and could not be created
    private final Instance<BitbucketDataCenterApi> dataCenterClient;

    private final BitbucketOAuth oauth;

    public BitbucketClient(@RestClient BitbucketCloudApi cloud, @RestClient Instance<BitbucketDataCenterApi> dataCenter,
            BitbucketOAuth oauth) {
        this.cloud = cloud;
        this.dataCenterClient = dataCenter;
        this.oauth = oauth;
    }

    /** Creates or replaces the build status {@code status.key()} on a Cloud commit. */
    @Retry(maxRetries = 0) // the delivery queue retries, with the latest state: a repeat here could post an outdated one
    public void cloudStatus(String workspace, String slug, String commit, CommitStatus status) {
        call("the " + status.state() + " status of " + workspace + "/" + slug + "@" + commit, () -> {
            cloud.postBuildStatus(workspace, slug, commit, status.forCloud());
            return null;
        });
    }

    /** Creates or replaces the build status {@code status.key()} on a Data Center commit. */
    @Retry(maxRetries = 0) // the delivery queue retries, with the latest state: a repeat here could post an outdated one
    public void dataCenterStatus(String project, String slug, String commit, CommitStatus status) {
        call("the " + status.state() + " status of " + project + "/" + slug + "@" + commit, () -> {
            dataCenterClient.get().postBuildStatus(project, slug, commit, BitbucketDataCenterApi.BuildStatus.of(status));
            return null;
        });
    }

    /** Posts a new comment on a Cloud pull request; returns its id. Never repeated here: a lost answer may mean it exists. */
    @Retry(maxRetries = 0)
    public long cloudCreateComment(String workspace, String slug, long pullRequest, String markdown) {
        return call("a comment on " + workspace + "/" + slug + "#" + pullRequest,
                () -> cloud.createComment(workspace, slug, pullRequest, BitbucketCloudApi.Comment.of(markdown)).id());
    }

    public void cloudUpdateComment(String workspace, String slug, long pullRequest, long commentId, String markdown) {
        call("comment " + commentId + " on " + workspace + "/" + slug + "#" + pullRequest, () ->
                cloud.updateComment(workspace, slug, pullRequest, commentId, BitbucketCloudApi.Comment.of(markdown)));
    }

    /** The id of the newest comment on a Cloud pull request whose text contains {@code marker}, if any. */
    public Optional<Long> cloudFindComment(String workspace, String slug, long pullRequest, String marker) {
        BitbucketCloudApi.CommentPage page = call("the comments of " + workspace + "/" + slug + "#" + pullRequest,
                () -> cloud.findComments(workspace, slug, pullRequest,
                        "content.raw ~ \"" + marker + "\"", "-created_on", 100));
        return page == null || page.values() == null ? Optional.empty() : page.values().stream()
                .filter(comment -> comment.content() != null && comment.content().raw() != null
                        && comment.content().raw().contains(marker))
                .map(BitbucketCloudApi.Comment::id).findFirst();
    }

    /** The newest comment on a Data Center pull request whose text contains {@code marker}, if any. */
    public Optional<PostedComment> dataCenterFindComment(String project, String slug, long pullRequest, String marker) {
        BitbucketDataCenterApi.ActivityPage page = call("the activities of " + project + "/" + slug + "#" + pullRequest,
                () -> dataCenterClient.get().activities(project, slug, pullRequest, 100));
        return page == null || page.values() == null ? Optional.empty() : page.values().stream()
                .filter(activity -> "COMMENTED".equals(activity.action()) && activity.comment() != null
                        && activity.comment().text() != null && activity.comment().text().contains(marker))
                .map(activity -> new PostedComment(activity.comment().id(),
                        activity.comment().version() == null ? 0 : activity.comment().version()))
                .findFirst();
    }

    /** Posts a new comment on a Data Center pull request; returns its id and version. Never repeated here. */
    @Retry(maxRetries = 0)
    public PostedComment dataCenterCreateComment(String project, String slug, long pullRequest, String text) {
        BitbucketDataCenterApi.Comment created = call("a comment on " + project + "/" + slug + "#" + pullRequest,
                () -> dataCenterClient.get().createComment(project, slug, pullRequest, new BitbucketDataCenterApi.Comment(null, null, text)));
        return new PostedComment(created.id(), created.version() == null ? 0 : created.version());
    }

    /** The current version of a Data Center comment, which an edit must name. */
    public int dataCenterCommentVersion(String project, String slug, long pullRequest, long commentId) {
        BitbucketDataCenterApi.Comment comment = call("comment " + commentId + " on " + project + "/" + slug + "#" + pullRequest,
                () -> dataCenterClient.get().getComment(project, slug, pullRequest, commentId));
        return comment.version() == null ? 0 : comment.version();
    }

    /** Edits a Data Center comment; returns its new version. A stale {@code version} is refused with 409. */
    public int dataCenterUpdateComment(String project, String slug, long pullRequest, long commentId, int version,
            String text) {
        BitbucketDataCenterApi.Comment updated = call("comment " + commentId + " on " + project + "/" + slug + "#" + pullRequest,
                () -> dataCenterClient.get().updateComment(project, slug, pullRequest, commentId,
                        new BitbucketDataCenterApi.Comment(null, version, text)));
        return updated.version() == null ? version + 1 : updated.version();
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (WebApplicationException e) {
            int code = e.getResponse().getStatus();
            String message = "Bitbucket answered " + code + " to " + what + errorBody(e);
            if (code == 429) {
                throw new BitbucketRateLimitedException(message,
                        RetryAfter.parse(e.getResponse().getHeaderString("Retry-After"), Instant.now()).orElse(null));
            }
            if (code >= 500 || code == 408) {
                throw new BitbucketUnavailableException(message, e);
            }
            if (code == 401) {
                oauth.invalidate(); // an OAuth token revoked early: the next update asks for a new one
            }
            throw new BitbucketRejectedException(code, message);
        } catch (ProcessingException e) {
            throw new BitbucketUnavailableException("Bitbucket could not be reached for " + what + ": "
                    + rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : " " + root.getMessage());
    }

    private static String errorBody(WebApplicationException e) {
        try {
            String body = e.getResponse().readEntity(String.class);
            if (body == null || body.isBlank()) {
                return "";
            }
            String oneLine = body.replaceAll("\\s+", " ").trim();
            return ": " + (oneLine.length() > MAX_ERROR_BODY ? oneLine.substring(0, MAX_ERROR_BODY) + "…" : oneLine);
        } catch (RuntimeException unreadable) {
            return "";
        }
    }

    /** A comment Bitbucket stored: its id and, on Data Center, the version the next edit must name. */
    public record PostedComment(long id, int version) {
    }
}
