package io.trunkline.promotion.service;

import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.events.RefsPushed;
import io.trunkline.events.RepositoryRef;
import io.trunkline.promotion.persistence.RefChangeEntity;
import io.trunkline.promotion.persistence.RefHeadEntity;
import io.trunkline.promotion.service.RefChangeRule.Verdict;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Each ref's head and history of changes. A push's changes are judged by {@link RefChangeRule}, recorded
 * with their outcome and reason ({@code ref_change}, the read model of ref history), and the applied
 * ones move the heads ({@code ref_head}). Stale and repeated changes deploy nothing and say why in the log.
 * Each change costs two statements: one reads what is known of its ref, one records it and moves the head.
 * <p>
 * One transaction at a time judges a ref without a lock of its own: every change of a repository's refs
 * comes on {@code trunkline.scm-events} keyed by the repository (pushes, and the missed pushes reconciliation
 * publishes there), whose events are decided one at a time and in order; and when a partition briefly has two
 * consumers (a rebalance), the later one reaches each event after the events before it and waits at the
 * event's claim ({@code processed_event}, the decision's first statement) until the earlier one's transaction
 * ends, so it never judges a ref while the other still does.
 */
@ApplicationScoped
public class RefHistory {

    private static final Logger LOG = Logger.getLogger(RefHistory.class);

    /** Records the push's changes; returns those to apply, in the push's order. */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<RefChange> record(RefsPushed push) {
        RepositoryRef repository = push.repository();
        Instant now = Instant.now();
        List<RefChange> applied = new ArrayList<>();
        for (RefChange change : push.changes()) {
            StoredRefState ref = new StoredRefState(repository, change, RefHeadEntity.known(repository,
                    change.refType(), change.refName(), change.newCommit(), change.oldCommit()));
            Verdict verdict = RefChangeRule.judge(ref, change);
            changeRow(push, change, verdict, now).insertMovingHead(verdict.applies());
            if (verdict.applies()) {
                applied.add(change);
            } else {
                LOG.infof("Push to %s: %s %s %s -> %s deploys nothing, %s: %s", repository.fullName(),
                        refType(change.refType()), change.refName(), RefChangeRule.commit(change.oldCommit()),
                        RefChangeRule.commit(change.newCommit()), verdict.outcome(), verdict.reason());
            }
        }
        return applied;
    }

    private static RefChangeEntity changeRow(RefsPushed push, RefChange change, Verdict verdict, Instant now) {
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
        return row;
    }

    private static String refType(RefType type) {
        return type == RefType.TAG ? "tag" : "branch";
    }

    /** What the database knows of the ref a change is about. */
    private record StoredRefState(RepositoryRef repository, RefChange change, Optional<RefHeadEntity.Known> stored)
            implements RefChangeRule.RefState {

        @Override
        public boolean known() {
            return stored.isPresent();
        }

        @Override
        public String head() {
            return stored.map(RefHeadEntity.Known::head).orElse(null);
        }

        @Override
        public boolean movedOnFrom(String commit) {
            if (stored.isPresent() && stored.get().movedOn() != null && Objects.equals(commit, stored.get().asked())) {
                return stored.get().movedOn();
            }
            return RefChangeEntity.appliedFrom(repository, change.refType(), change.refName(), commit);
        }
    }
}
