package io.trunkline.promotion.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.promotion.service.RefChangeRule.Outcome;
import io.trunkline.promotion.service.RefChangeRule.Verdict;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RefChangeRuleTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private static final String C = "c".repeat(40);
    private static final String X = "1".repeat(40);
    private static final String Y = "2".repeat(40);

    /** One ref's history kept in memory, the way the service keeps it in its tables. */
    private static final class Ref implements RefChangeRule.RefState {
        private boolean known;
        private String head;
        private final Set<String> appliedFrom = new HashSet<>();
        private final List<Outcome> outcomes = new ArrayList<>();

        @Override
        public boolean known() {
            return known;
        }

        @Override
        public String head() {
            return head;
        }

        @Override
        public boolean movedOnFrom(String commit) {
            return appliedFrom.contains(Objects.toString(commit, "<created>"));
        }

        Verdict push(RefType type, String oldCommit, String newCommit) {
            Verdict verdict = RefChangeRule.judge(this, new RefChange(type, "ref", oldCommit, newCommit, false));
            if (verdict.applies()) {
                known = true;
                head = newCommit;
                appliedFrom.add(Objects.toString(oldCommit, "<created>"));
            }
            outcomes.add(verdict.outcome());
            return verdict;
        }

        Verdict branch(String oldCommit, String newCommit) {
            return push(RefType.BRANCH, oldCommit, newCommit);
        }
    }

    @Test
    void aRefNeverSeenIsApplied() {
        Ref ref = new Ref();

        Verdict verdict = ref.branch(A, B);

        assertThat(verdict.outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(verdict.reason()).isEqualTo("moved from aaaaaaaaaaaa to bbbbbbbbbbbb");
    }

    @Test
    void tagCreatedDeletedAndCreatedAgainOnTheSameCommitIsAppliedEachTime() {
        Ref tag = new Ref();

        tag.push(RefType.TAG, null, A);
        Verdict deleted = tag.push(RefType.TAG, A, null);
        Verdict recreated = tag.push(RefType.TAG, null, A);

        assertThat(tag.outcomes).containsExactly(Outcome.APPLIED, Outcome.APPLIED, Outcome.APPLIED);
        assertThat(deleted.reason()).isEqualTo("deleted (was at aaaaaaaaaaaa)");
        assertThat(recreated.reason()).isEqualTo("created at aaaaaaaaaaaa");
    }

    @Test
    void branchMovedBackAndForthIsAppliedEachTime() {
        Ref branch = new Ref();

        branch.branch(null, X);
        branch.branch(X, Y);
        branch.branch(Y, X);
        branch.branch(X, Y);

        assertThat(branch.outcomes).containsOnly(Outcome.APPLIED).hasSize(4);
        assertThat(branch.head()).isEqualTo(Y);
    }

    @Test
    void aChangeDeliveredAfterTheNewerOneIsStale() {
        Ref branch = new Ref();
        branch.branch(B, C);

        Verdict late = branch.branch(A, B);

        assertThat(late.outcome()).isEqualTo(Outcome.STALE);
        assertThat(late.reason()).isEqualTo(
                "late delivery: the ref was at bbbbbbbbbbbb before and has moved on since; it is at cccccccccccc now");
        assertThat(branch.head()).isEqualTo(C);
    }

    @Test
    void theSameChangeAgainIsADuplicate() {
        Ref branch = new Ref();
        branch.branch(A, B);

        Verdict again = branch.branch(A, B);

        assertThat(again.outcome()).isEqualTo(Outcome.DUPLICATE);
        assertThat(again.reason()).isEqualTo("the ref is already at bbbbbbbbbbbb: this change was applied before");
        assertThat(branch.head()).isEqualTo(B);
    }

    @Test
    void aLateDeletionAfterTheRefWasCreatedAgainIsStale() {
        Ref tag = new Ref();
        tag.push(RefType.TAG, null, A);
        // deleted, then created on B; the deletion's delivery comes last
        tag.push(RefType.TAG, null, B);

        Verdict lateDeletion = tag.push(RefType.TAG, A, null);

        assertThat(lateDeletion.outcome()).isEqualTo(Outcome.STALE);
        assertThat(lateDeletion.reason()).startsWith("late delivery: the ref was absent before");
        assertThat(tag.head()).isEqualTo(B);
    }

    @Test
    void aForcePushToACommitNotSeenBeforeIsApplied() {
        Ref branch = new Ref();
        branch.branch(A, B);
        branch.branch(B, C);

        // history rewritten: from a commit the service never saw as head, to one it never saw either
        assertThat(branch.branch(A, X).outcome()).isEqualTo(Outcome.APPLIED);
    }

    @Test
    void aChangeFromTheHeadIsAppliedEvenToACommitTheRefWasAtBefore() {
        Ref branch = new Ref();
        branch.branch(A, B);
        branch.branch(B, C);

        // a revert to B is a real move from the head
        assertThat(branch.branch(C, B).outcome()).isEqualTo(Outcome.APPLIED);
        assertThat(branch.head()).isEqualTo(B);
    }

    @Test
    void aRepeatedDeletionDeploysNothing() {
        Ref branch = new Ref();
        branch.branch(null, A);
        branch.branch(A, null);

        assertThat(branch.branch(A, null).applies()).isFalse();
    }
}
