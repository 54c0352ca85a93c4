package io.trunkline.promotion.service;

import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.persistence.RefChangeEntity;
import io.trunkline.promotion.persistence.RefHeadEntity;
import io.trunkline.promotion.service.RefChangeRule.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Each ref's head and history of changes. A push's changes are judged by {@link RefChangeRule}, recorded
 * with their outcome and reason ({@code ref_change}, the read model of ref history), and the applied
 * ones move the heads ({@code ref_head}). Stale and repeated changes deploy nothing and say why in the log.
 */
@ApplicationScoped
public class RefHistory {

    private static final Logger LOG = Logger.getLogger(RefHistory.class);

    private final EntityManager entityManager;

    public RefHistory(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    /** Records the push's changes; returns those to apply, in the push's order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<RefChange> record(RefsPushed push) {
        RepositoryRef repository = push.repository();
        Instant now = Instant.now();
        List<RefChange> applied = new ArrayList<>();
        for (RefChange change : push.changes()) {
            lockRef(repository, change);
            Optional<RefHeadEntity> head = RefHeadEntity.find(repository, change.refType(), change.refName());
            Verdict verdict = RefChangeRule.judge(new StoredRefState(repository, change, head), change);
            persistChange(push, change, verdict, now);
            if (verdict.applies()) {
                moveHead(repository, change, head, now);
                applied.add(change);
            } else {
                LOG.infof("Push to %s: %s %s %s -> %s deploys nothing, %s: %s", repository.fullName(),
                        refType(change.refType()), change.refName(), RefChangeRule.commit(change.oldCommit()),
                        RefChangeRule.commit(change.newCommit()), verdict.outcome(), verdict.reason());
            }
        }
        return applied;
    }

    private static void persistChange(RefsPushed push, RefChange change, Verdict verdict, Instant now) {
        RepositoryRef repository = push.repository();
        RefChangeEntity row = new RefChangeEntity();
        row.eventId = push.eventId();
        row.deliveryId = push.deliveryId();
        row.provider = repository.provider().id();
        row.workspace = repository.workspace();
        row.slug = repository.slug();
        row.refType = change.refType();
        row.refName = change.refName();
        row.oldCommit = change.oldCommit();
        row.newCommit = change.newCommit();
        row.outcome = verdict.outcome();
        row.reason = verdict.reason();
        row.recordedAt = now;
        row.persist();
    }

    private static void moveHead(RepositoryRef repository, RefChange change, Optional<RefHeadEntity> existing,
            Instant now) {
        RefHeadEntity head = existing.orElseGet(RefHeadEntity::new);
        head.provider = repository.provider().id();
        head.workspace = repository.workspace();
        head.slug = repository.slug();
        head.refType = change.refType();
        head.refName = change.refName();
        head.headCommit = change.newCommit();
        head.updatedAt = now;
        if (existing.isEmpty()) {
            head.persist();
        }
    }

    /** One transaction at a time judges a ref, also when a partition briefly has two consumers (rebalance). */
    private void lockRef(RepositoryRef repository, RefChange change) {
        entityManager.createNativeQuery("SELECT pg_advisory_xact_lock(hashtext('trunkline.ref'), hashtext(?1))")
                .setParameter(1, repository.key() + ":" + refType(change.refType()) + ":" + change.refName())
                .getSingleResult();
    }

    private static String refType(RefType type) {
        return type == RefType.TAG ? "tag" : "branch";
    }

    /** What the database knows of the ref a change is about. */
    private record StoredRefState(RepositoryRef repository, RefChange change, Optional<RefHeadEntity> stored)
            implements RefChangeRule.RefState {

        @Override
        public boolean known() {
            return stored.isPresent();
        }

        @Override
        public String head() {
            return stored.map(head -> head.headCommit).orElse(null);
        }

        @Override
        public boolean movedOnFrom(String commit) {
            return RefChangeEntity.appliedFrom(repository, change.refType(), change.refName(), commit);
        }
    }
}
