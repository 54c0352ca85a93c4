package io.trunkline.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Someone pushed to a repository: branches and tags created, moved or deleted. */
public record RefsPushed(
        UUID eventId,
        Instant occurredAt,
        RepositoryRef repository,
        List<RefChange> changes,
        String actor,
        String deliveryId) implements TrunklineEvent {

    public static final String TYPE = "io.trunkline.scm.refs-pushed";

    public RefsPushed {
        changes = List.copyOf(changes);
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
        return repository.fullName();
    }
}
