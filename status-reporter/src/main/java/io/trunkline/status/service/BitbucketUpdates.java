package io.trunkline.status.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.trunkline.events.ScmProvider;
import io.trunkline.status.client.BitbucketClient;
import io.trunkline.status.client.CommitStatus;
import io.trunkline.status.persistence.BitbucketDelivery;
import jakarta.enterprise.context.ApplicationScoped;

/** Posts one queued update to the Bitbucket installation that hosts its repository. */
@ApplicationScoped
public class BitbucketUpdates {

    private final BitbucketClient bitbucket;
    private final ObjectMapper json;
    private final PullRequestComments comments;

    public BitbucketUpdates(BitbucketClient bitbucket, ObjectMapper json, PullRequestComments comments) {
        this.bitbucket = bitbucket;
        this.comments = comments;
        this.json = json;
    }

    /**
     * Posts {@code delivery}'s payload.
     *
     * @throws io.trunkline.status.client.BitbucketRejectedException     refused for good
     * @throws io.trunkline.status.client.BitbucketRateLimitedException  429
     * @throws io.trunkline.status.client.BitbucketUnavailableException  to be tried again later
     */
    public void post(BitbucketDelivery delivery) {
        switch (delivery.kind) {
            case BitbucketDelivery.COMMIT_STATUS -> postStatus(delivery);
            case BitbucketDelivery.PULL_REQUEST_COMMENT -> comments.post(delivery);
            default -> throw new IllegalStateException("unknown delivery kind " + delivery.kind);
        }
    }

    private void postStatus(BitbucketDelivery delivery) {
        CommitStatus status = read(delivery.payload);
        if (delivery.provider == ScmProvider.BITBUCKET_CLOUD) {
            bitbucket.cloudStatus(delivery.workspace, delivery.slug, delivery.commit, status);
        } else {
            bitbucket.dataCenterStatus(delivery.workspace, delivery.slug, delivery.commit, status);
        }
    }

    private CommitStatus read(String payload) {
        try {
            return json.readValue(payload, CommitStatus.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable queued commit status", e);
        }
    }
}
