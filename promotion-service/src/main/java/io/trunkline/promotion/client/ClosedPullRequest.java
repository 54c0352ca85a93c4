package io.trunkline.promotion.client;

import io.trunkline.events.PullRequestAction;

/**
 * A pull request Bitbucket no longer lists as open: {@code MERGED}, or {@code DECLINED} (declined, superseded,
 * or deleted: then {@code pullRequest} is null, Bitbucket knowing it no more).
 */
public record ClosedPullRequest(long id, PullRequestAction action, RemotePullRequest pullRequest) {
}
