package io.trunkline.status.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.trunkline.events.ScmProvider;
import io.trunkline.status.client.BitbucketClient;
import io.trunkline.status.client.BitbucketRejectedException;
import io.trunkline.status.persistence.BitbucketDelivery;
import io.trunkline.status.persistence.PullRequestCommentStore;
import io.trunkline.status.persistence.PullRequestCommentStore.StoredComment;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Keeps one comment per pull request with a preview: created once, then edited in place with each new
 * state. The comment's id is stored as soon as Bitbucket answers; a creation whose answer was lost is
 * looked for (by {@link PreviewComments#MARKER}) before anything is created again, and a comment someone
 * deleted is created anew. Data Center edits name the comment's version; a stale one is refreshed once.
 */
@ApplicationScoped
public class PullRequestComments {

    private static final Logger LOG = Logger.getLogger(PullRequestComments.class);

    private final BitbucketClient bitbucket;
    private final PullRequestCommentStore store;
    private final ObjectMapper json;

    public PullRequestComments(BitbucketClient bitbucket, PullRequestCommentStore store, ObjectMapper json) {
        this.bitbucket = bitbucket;
        this.store = store;
        this.json = json;
    }

    /** What a comment delivery carries: the comment's text. */
    public record CommentPayload(String text) {
    }

    public void post(BitbucketDelivery delivery) {
        String text = read(delivery.payload).text();
        Target pr = new Target(delivery.provider, delivery.workspace, delivery.slug, delivery.pullRequestId);
        Optional<StoredComment> stored = QuarkusTransaction.requiringNew().call(() ->
                store.find(pr.provider(), pr.workspace(), pr.slug(), pr.number()));
        if (stored.isPresent() && stored.get().commentId() != null) {
            if (edit(pr, stored.get().commentId(), stored.get().version(), text)) {
                return;
            }
        } else if (stored.isPresent() && stored.get().createAttemptedAt() != null && adoptLost(pr, text)) {
            return;
        }
        create(pr, text);
    }

    /** Edits the comment; false when it no longer exists. */
    private boolean edit(Target pr, long commentId, Integer version, String text) {
        try {
            if (pr.provider() == ScmProvider.BITBUCKET_CLOUD) {
                bitbucket.cloudUpdateComment(pr.workspace(), pr.slug(), pr.number(), commentId, text);
                return true;
            }
            int next;
            try {
                next = bitbucket.dataCenterUpdateComment(pr.workspace(), pr.slug(), pr.number(), commentId,
                        version == null ? 0 : version, text);
            } catch (BitbucketRejectedException stale) {
                if (stale.status() != 409) {
                    throw stale;
                }
                int current = bitbucket.dataCenterCommentVersion(pr.workspace(), pr.slug(), pr.number(), commentId);
                next = bitbucket.dataCenterUpdateComment(pr.workspace(), pr.slug(), pr.number(), commentId, current, text);
            }
            int newVersion = next;
            QuarkusTransaction.requiringNew().run(() ->
                    store.stored(pr.provider(), pr.workspace(), pr.slug(), pr.number(), commentId, newVersion));
            return true;
        } catch (BitbucketRejectedException e) {
            if (e.status() != 404) {
                throw e;
            }
            LOG.infof("The Trunkline comment on %s/%s#%d is gone; a new one is created", pr.workspace(), pr.slug(),
                    pr.number());
            QuarkusTransaction.requiringNew().run(() -> store.forget(pr.provider(), pr.workspace(), pr.slug(), pr.number()));
            return false;
        }
    }

    /** A creation whose answer was lost may have created the comment: find it and edit it instead. */
    private boolean adoptLost(Target pr, String text) {
        if (pr.provider() == ScmProvider.BITBUCKET_CLOUD) {
            Optional<Long> found = bitbucket.cloudFindComment(pr.workspace(), pr.slug(), pr.number(), PreviewComments.MARKER);
            return found.isPresent() && adopt(pr, found.get(), 0) && edit(pr, found.get(), 0, text);
        }
        Optional<BitbucketClient.PostedComment> found =
                bitbucket.dataCenterFindComment(pr.workspace(), pr.slug(), pr.number(), PreviewComments.MARKER);
        return found.isPresent() && adopt(pr, found.get().id(), found.get().version())
                && edit(pr, found.get().id(), found.get().version(), text);
    }

    private boolean adopt(Target pr, long commentId, int version) {
        QuarkusTransaction.requiringNew().run(() ->
                store.stored(pr.provider(), pr.workspace(), pr.slug(), pr.number(), commentId, version));
        return true;
    }

    private void create(Target pr, String text) {
        QuarkusTransaction.requiringNew().run(() -> store.creating(pr.provider(), pr.workspace(), pr.slug(), pr.number()));
        if (pr.provider() == ScmProvider.BITBUCKET_CLOUD) {
            long id = bitbucket.cloudCreateComment(pr.workspace(), pr.slug(), pr.number(), text);
            QuarkusTransaction.requiringNew().run(() -> store.stored(pr.provider(), pr.workspace(), pr.slug(), pr.number(), id, 0));
        } else {
            BitbucketClient.PostedComment posted = bitbucket.dataCenterCreateComment(pr.workspace(), pr.slug(), pr.number(), text);
            QuarkusTransaction.requiringNew().run(() -> store.stored(pr.provider(), pr.workspace(), pr.slug(), pr.number(),
                    posted.id(), posted.version()));
        }
    }

    private CommentPayload read(String payload) {
        try {
            return json.readValue(payload, CommentPayload.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable queued comment", e);
        }
    }

    private record Target(ScmProvider provider, String workspace, String slug, long number) {
    }
}
