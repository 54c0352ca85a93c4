package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/**
 * A pull request was opened, got new commits, was merged or declined (a Data Center pull request
 * deleted while open counts as declined: either way it is closed unmerged).
 * {@code repository} is the destination repository, where the pull request lives;
 * {@code sourceRepository} the repository its commits come from: another one when
 * {@code fromFork}, null when Bitbucket no longer knows it (a deleted fork).
 * {@code sourceCommit} is the head commit of the source branch; {@code sourceCommitAbbreviated}
 * says that it is an abbreviated hash (Bitbucket Cloud sends 12 characters), which a consumer that
 * needs the full hash resolves through the Bitbucket API. It may be null on a merged or declined
 * pull request. {@code author} opened the pull request; {@code actor} did what the event reports.
 */
public record PullRequestChanged(
        UUID eventId,
        Instant occurredAt,
        RepositoryRef repository,
        long pullRequestId,
        PullRequestAction action,
        String sourceBranch,
        String sourceCommit,
        String targetBranch,
        boolean fromFork,
        String title,
        String actor,
        String deliveryId,
        RepositoryRef sourceRepository,
        boolean sourceCommitAbbreviated,
        String author) implements TrunklineEvent {

    public static final String TYPE = "io.trunkline.scm.pull-request-changed";

    /**
     * The form before the source repository, the abbreviation flag and the author: the source is the
     * destination unless {@code fromFork} (then unknown), a hash shorter than 40 characters is abbreviated,
     * the author is unknown.
     */
    public PullRequestChanged(UUID eventId, Instant occurredAt, RepositoryRef repository, long pullRequestId,
            PullRequestAction action, String sourceBranch, String sourceCommit, String targetBranch, boolean fromFork,
            String title, String actor, String deliveryId) {
        this(eventId, occurredAt, repository, pullRequestId, action, sourceBranch, sourceCommit, targetBranch,
                fromFork, title, actor, deliveryId, fromFork ? null : repository,
                sourceCommit != null && sourceCommit.length() < 40, null);
    }

    @Override
    public String eventType() {
        return TYPE;
    }

    @Override
    public String partitionKey() {
        return repository.key();
    }

    @Override
    public String subject() {
        return repository.fullName() + "/pull-requests/" + pullRequestId;
    }
}
