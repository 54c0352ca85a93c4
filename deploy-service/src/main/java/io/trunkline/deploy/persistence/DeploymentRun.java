package io.trunkline.deploy.persistence;

import io.trunkline.events.DeploymentState;
import java.time.Instant;
import java.util.UUID;

/**
 * deploy-service's record of one deployment it carried out (or is carrying out), as its row in
 * {@code deployment_run} read it.
 *
 * @param request        the request as JSON (credential references only), for whoever has to resume or report the run
 * @param leaseOwner     the instance holding the run while it is in progress
 * @param leaseExpiresAt until when {@code leaseOwner} holds the run unless it renews the lease (database clock)
 * @param externalId     the run the target started (a pipeline's uuid, a Pulumi deployment's id); null before, or for
 *                       http targets
 * @param link           that run's page for people
 * @param verification   the result of the verify checks as JSON ({@code VerificationResult}); null without checks or
 *                       before they ran
 */
public record DeploymentRun(UUID deploymentId, UUID eventId, DeploymentState state, int attempts, String reason,
        Instant startedAt, Instant finishedAt, String request, String leaseOwner, Instant leaseExpiresAt,
        String externalId, String link, String verification) {
}
