package io.trunkline.events;

import java.time.Instant;
import java.util.UUID;

/** A pull request was opened, got new commits, was merged or declined. */
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
        String deliveryId) implements TrunklineEvent {

    public static final String TYPE = "io.trunkline.scm.pull-request-changed";

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
