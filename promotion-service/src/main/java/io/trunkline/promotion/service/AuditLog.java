package io.trunkline.promotion.service;

import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.persistence.AuditEntryEntity;
import io.trunkline.promotion.persistence.DeploymentEntity;
import io.trunkline.promotion.rest.OperatorSubject;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Every configuration change and operator command: who, when, what, and where it applies to a
 * configuration the state before and after with secrets masked. The caller's roles come from its token
 * ({@link OperatorSubject}). Written in the transaction of the change,
 * so a change that rolls back leaves no entry and a committed one cannot lose it.
 */
@ApplicationScoped
public class AuditLog {

    private final OperatorSubject caller;

    public AuditLog(OperatorSubject caller) {
        this.caller = caller;
    }

    /** Records a configuration change; {@code before} and {@code after} are masked JSON or null. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void configurationChanged(String subject, AuditAction action, RepositoryRef repository, String summary,
            String before, String after) {
        AuditEntryEntity entry = entry(subject, action, summary);
        entry.provider = repository.provider().id();
        entry.workspace = repository.workspace();
        entry.slug = repository.slug();
        entry.before = before;
        entry.after = after;
        entry.persist();
    }

    /** Records a command about one deployment. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void deploymentCommand(String subject, AuditAction action, DeploymentEntity deployment, String summary) {
        AuditEntryEntity entry = entry(subject, action, summary);
        entry.provider = deployment.provider;
        entry.workspace = deployment.workspace;
        entry.slug = deployment.slug;
        entry.environment = deployment.environment;
        entry.deploymentId = deployment.id;
        entry.persist();
    }

    /** Records a command about an environment; {@code deploymentId} is the deployment it created, if any. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void environmentCommand(String subject, AuditAction action, RepositoryRef repository, String environment,
            UUID deploymentId, String summary) {
        AuditEntryEntity entry = entry(subject, action, summary);
        entry.provider = repository.provider().id();
        entry.workspace = repository.workspace();
        entry.slug = repository.slug();
        entry.environment = environment;
        entry.deploymentId = deploymentId;
        entry.persist();
    }

    /** A page of entries, newest first; see {@link AuditEntryEntity#page}. */
    @Transactional
    public List<AuditEntryEntity> page(String workspace, String slug, AuditAction action, UUID deploymentId,
            Long beforeId, int limit) {
        return AuditEntryEntity.page(workspace, slug, action == null ? null : action.id(), deploymentId, beforeId, limit);
    }

    private AuditEntryEntity entry(String subject, AuditAction action, String summary) {
        AuditEntryEntity entry = new AuditEntryEntity();
        entry.recordedAt = Instant.now();
        entry.subject = subject;
        entry.roles = String.join(" ", caller.roles());
        entry.action = action.id();
        entry.summary = summary;
        return entry;
    }
}
