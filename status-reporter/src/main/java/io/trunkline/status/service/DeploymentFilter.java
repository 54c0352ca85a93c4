package io.trunkline.status.service;

import io.trunkline.events.DeploymentState;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/** What {@code GET /api/deployments} narrows the list to; empty means any. */
public record DeploymentFilter(Optional<RepositoryName> repository, Optional<String> environment,
        Set<DeploymentState> states, Optional<Instant> since) {
}
