package io.trunkline.promotion.service;

import io.trunkline.events.RefChange;
import java.util.Objects;

/**
 * Whether a change of a branch or tag is to be applied, is the same change again, or is a late delivery
 * of a change the ref has already moved on from. Judged against what this service knows of the ref: its
 * head after the last applied change and the old commits of the changes applied to it. For a change from
 * {@code o} to {@code n} of a ref at head {@code H}:
 * <ul>
 *   <li>the ref is known and {@code n} equals {@code H} (not a deletion): the same change again, delivered
 *       twice (a second webhook, a retried delivery): {@link Outcome#DUPLICATE};</li>
 *   <li>the ref is known, {@code o} is not {@code H}, and an earlier applied change of the ref started from
 *       {@code n}: the ref was at {@code n} and has moved on since, so the change is older than the head:
 *       {@link Outcome#STALE};</li>
 *   <li>otherwise {@link Outcome#APPLIED}: the head becomes {@code n} (nothing for a deletion).</li>
 * </ul>
 * A ref moved back and forth (X→Y→X→Y) or a tag deleted and pushed again on the same commit is a real
 * change each time and is applied. Pure: no I/O.
 */
public final class RefChangeRule {

    private RefChangeRule() {
    }

    public enum Outcome {
        /** A new change: the head moves and deployments are planned for it. */
        APPLIED,
        /** Older than the ref's head: deploys nothing. */
        STALE,
        /** The change the head already reflects, delivered again: deploys nothing. */
        DUPLICATE
    }

    /** What this service knows of one ref. */
    public interface RefState {

        /** False when no change of the ref was ever applied (or its history has been purged). */
        boolean known();

        /** The ref's commit after the last applied change; null when it was deleted. */
        String head();

        /** Whether an applied change of the ref started from {@code commit} (null: a change that created the ref). */
        boolean movedOnFrom(String commit);
    }

    public record Verdict(Outcome outcome, String reason) {

        public boolean applies() {
            return outcome == Outcome.APPLIED;
        }
    }

    public static Verdict judge(RefState ref, RefChange change) {
        String oldCommit = change.oldCommit();
        String newCommit = change.newCommit();
        if (ref.known() && newCommit != null && newCommit.equals(ref.head())) {
            return new Verdict(Outcome.DUPLICATE, "the ref is already at " + commit(newCommit)
                    + ": this change was applied before");
        }
        if (ref.known() && !Objects.equals(oldCommit, ref.head()) && ref.movedOnFrom(newCommit)) {
            return new Verdict(Outcome.STALE, "late delivery: the ref was "
                    + (newCommit == null ? "absent" : "at " + commit(newCommit)) + " before and has moved on since; it is "
                    + (ref.head() == null ? "deleted now" : "at " + commit(ref.head()) + " now"));
        }
        return new Verdict(Outcome.APPLIED, describe(change));
    }

    private static String describe(RefChange change) {
        if (change.deleted()) {
            return "deleted" + (change.oldCommit() == null ? "" : " (was at " + commit(change.oldCommit()) + ")");
        }
        if (change.created()) {
            return "created at " + commit(change.newCommit());
        }
        return "moved from " + commit(change.oldCommit()) + " to " + commit(change.newCommit());
    }

    static String commit(String commit) {
        return commit == null ? "none" : commit.length() > 12 ? commit.substring(0, 12) : commit;
    }
}
