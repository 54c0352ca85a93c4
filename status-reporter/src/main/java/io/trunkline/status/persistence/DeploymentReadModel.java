package io.trunkline.status.persistence;

import io.trunkline.events.DeploymentOperation;
import io.trunkline.events.DeploymentStateChanged;
import io.trunkline.status.service.DeploymentDetails;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** Keeps the {@link Deployment} rows and their timelines up to date with the state events. */
@ApplicationScoped
public class DeploymentReadModel {

    private final EntityManager entityManager;

    public DeploymentReadModel(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /**
     * Adds the event to the deployment's timeline and makes its state the current one, creating
     * the deployment on its first event. A final state (succeeded, failed, ...) is never replaced by
     * a non-final one that arrives late: such an event only joins the timeline.
     *
     * What {@code details} adds (ref, links, trigger) is kept; a later event's link replaces an earlier one.
     *
     * @return the deployment, and whether the event's state is now its current state
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Applied apply(DeploymentStateChanged event, DeploymentDetails details) {
        Deployment deployment = entityManager.find(Deployment.class, event.deploymentId(), LockModeType.PESSIMISTIC_WRITE);
        boolean current;
        if (deployment == null) {
            deployment = new Deployment();
            deployment.id = event.deploymentId();
            deployment.provider = event.repository().provider();
            deployment.workspace = event.repository().workspace();
            deployment.slug = event.repository().slug();
            deployment.environment = event.environment();
            deployment.commit = event.commit();
            deployment.operation = event.operation() == null ? DeploymentOperation.DEPLOY : event.operation();
            deployment.pullRequestId = event.pullRequestId();
            deployment.createdAt = event.occurredAt();
            becomes(deployment, event);
            learn(deployment, details);
            deployment.persist();
            current = true;
        } else if (deployment.state.isFinal() && !event.state().isFinal()) {
            current = false;
        } else {
            becomes(deployment, event);
            current = true;
        }
        if (current && event.verification() != null) {
            deployment.verification = VerificationJson.write(event.verification());
        }
        learn(deployment, details);
        DeploymentTimelineEntry entry = new DeploymentTimelineEntry();
        entry.eventId = event.eventId();
        entry.deploymentId = event.deploymentId();
        entry.state = event.state();
        entry.reason = event.reason();
        entry.occurredAt = event.occurredAt();
        entry.recordedAt = Instant.now();
        entry.persist();
        entityManager.flush(); // constraint violations surface here, before anything leaves the service
        return new Applied(deployment, current);
    }

    /** The deployment as it now is, and whether the event's state became its current state. */
    public record Applied(Deployment deployment, boolean current) {
    }

    private static void learn(Deployment deployment, DeploymentDetails details) {
        if (details.refName() != null) {
            deployment.refName = details.refName();
        }
        if (details.environmentUrl() != null) {
            deployment.environmentUrl = details.environmentUrl();
        }
        if (details.targetUrl() != null) {
            deployment.targetUrl = details.targetUrl();
        }
        if (deployment.triggeredBy == null) {
            deployment.triggeredBy = details.triggeredBy();
        }
    }

    private static void becomes(Deployment deployment, DeploymentStateChanged event) {
        deployment.state = event.state();
        deployment.reason = event.reason();
        deployment.updatedAt = event.occurredAt();
        if (deployment.commit == null) {
            deployment.commit = event.commit();
        }
        if (deployment.pullRequestId == null) {
            deployment.pullRequestId = event.pullRequestId();
        }
    }
}
