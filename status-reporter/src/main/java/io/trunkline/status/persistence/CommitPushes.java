package io.trunkline.status.persistence;

import io.trunkline.events.RepositoryRef;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;

/** When each commit was first pushed ({@code commit_push}): where the lead time for changes starts. */
@ApplicationScoped
public class CommitPushes {

    private final EntityManager entityManager;

    public CommitPushes(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Records a push of {@code commit}; an earlier push of the same commit is kept. Idempotent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void pushed(RepositoryRef repository, String commit, Instant at) {
        entityManager.createNativeQuery("""
                        INSERT INTO commit_push (provider, workspace, slug, commit_hash, pushed_at) VALUES (?1, ?2, ?3, ?4, ?5)
                        ON CONFLICT (provider, workspace, slug, commit_hash)
                        DO UPDATE SET pushed_at = LEAST(commit_push.pushed_at, EXCLUDED.pushed_at)""")
                .setParameter(1, repository.provider().id())
                .setParameter(2, repository.workspace())
                .setParameter(3, repository.slug())
                .setParameter(4, commit)
                .setParameter(5, at)
                .executeUpdate();
    }
}
