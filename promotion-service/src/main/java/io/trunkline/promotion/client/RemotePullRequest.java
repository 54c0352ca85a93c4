package io.trunkline.promotion.client;

import io.trunkline.events.RepositoryRef;

/**
 * An open pull request as Bitbucket lists it now. {@code sourceCommit} is the source branch's head (12
 * characters on Cloud); {@code sourceRepository} the repository its commits come from, null when Bitbucket no
 * longer knows it (a deleted fork); {@code fromFork} whether that is another repository than the destination.
 */
public record RemotePullRequest(long id, String title, String sourceBranch, String sourceCommit,
        RepositoryRef sourceRepository, boolean fromFork, String targetBranch, String author) {
}
