package io.trunkline.ingest.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.trunkline.events.RefChange;
import io.trunkline.events.RefType;
import io.trunkline.ingest.persistence.LastRefChange;
import io.trunkline.ingest.service.ChangeWindow.Kind;
import io.trunkline.ingest.service.ChangeWindow.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ChangeWindowTest {

    private static final String X = "1".repeat(40);
    private static final String Y = "2".repeat(40);
    private static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");
    private static final ChangeWindow WINDOW = new ChangeWindow(Duration.ofMinutes(10), Duration.ofSeconds(10));

    private final UUID earlier = UUID.randomUUID();
    private final UUID mine = UUID.randomUUID();

    private static RefChange branch(String oldCommit, String newCommit) {
        return new RefChange(RefType.BRANCH, "main", oldCommit, newCommit, false);
    }

    private static RefChange tag(String oldCommit, String newCommit) {
        return new RefChange(RefType.TAG, "release-1", oldCommit, newCommit, false);
    }

    private Optional<LastRefChange> accepted(RefChange change, Instant at) {
        return Optional.of(new LastRefChange(change.oldCommit(), change.newCommit(), earlier, at, true));
    }

    private Verdict judge(Optional<LastRefChange> last, RefChange change, Instant now) {
        return WINDOW.judge(last, change, mine, now);
    }

    @Test
    void aRefWithoutRememberedChangeTakesAnyChange() {
        assertThat(judge(Optional.empty(), branch(X, Y), T0)).isEqualTo(Verdict.NEW);
    }

    @Test
    void theSameChangeWithinTheWindowIsADuplicateOfTheEarlierEvent() {
        Verdict verdict = judge(accepted(branch(X, Y), T0), branch(X, Y), T0.plus(Duration.ofMinutes(10)));

        assertThat(verdict.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(verdict.earlierEventId()).isEqualTo(earlier);
    }

    @Test
    void theSameChangeAfterTheWindowIsNew() {
        assertThat(judge(accepted(branch(X, Y), T0), branch(X, Y), T0.plus(Duration.ofMinutes(10)).plusMillis(1)))
                .isEqualTo(Verdict.NEW);
    }

    @Test
    void aTagCreatedDeletedAndCreatedAgainOnOneCommitIsNewEachTime() {
        RefChange create = tag(null, X);
        RefChange delete = tag(X, null);

        assertThat(judge(Optional.empty(), create, T0)).isEqualTo(Verdict.NEW);
        assertThat(judge(accepted(create, T0), delete, T0.plusSeconds(1))).isEqualTo(Verdict.NEW);
        assertThat(judge(accepted(delete, T0.plusSeconds(1)), create, T0.plusSeconds(2))).isEqualTo(Verdict.NEW);
    }

    @Test
    void aBranchMovedBackAndForthIsNewEachTime() {
        RefChange forth = branch(X, Y);
        RefChange back = branch(Y, X);

        assertThat(judge(accepted(forth, T0), back, T0.plusSeconds(1))).isEqualTo(Verdict.NEW);
        assertThat(judge(accepted(back, T0.plusSeconds(1)), forth, T0.plusSeconds(2))).isEqualTo(Verdict.NEW);
    }

    @Test
    void aChangeOfTheSameRefFromAnotherCommitIsNew() {
        assertThat(judge(accepted(branch(X, Y), T0), branch(Y, "3".repeat(40)), T0.plusSeconds(1)))
                .isEqualTo(Verdict.NEW);
        assertThat(judge(accepted(branch(X, Y), T0), branch(null, Y), T0.plusSeconds(1))).isEqualTo(Verdict.NEW);
    }

    @Test
    void theDeliverysOwnEarlierAttemptIsPublishedAgain() {
        Optional<LastRefChange> ownClaim = Optional.of(LastRefChange.claimed(X, Y, mine, T0));

        assertThat(judge(ownClaim, branch(X, Y), T0.plusSeconds(1))).isEqualTo(Verdict.NEW);
    }

    @Test
    void theSameChangeStillBeingPublishedByAnotherDeliveryIsInFlightUntilItsClaimIsStale() {
        Optional<LastRefChange> othersClaim = Optional.of(LastRefChange.claimed(X, Y, earlier, T0));

        Verdict fresh = judge(othersClaim, branch(X, Y), T0.plusSeconds(9));
        assertThat(fresh.kind()).isEqualTo(Kind.IN_FLIGHT);
        assertThat(fresh.earlierEventId()).isEqualTo(earlier);
        // a claim neither published nor withdrawn in time: its delivery published and could not record it,
        // or was answered with an error and is retried by Bitbucket; either way this one is a repeat
        Verdict stale = judge(othersClaim, branch(X, Y), T0.plusSeconds(10));
        assertThat(stale.kind()).isEqualTo(Kind.DUPLICATE);
        assertThat(stale.earlierEventId()).isEqualTo(earlier);
    }
}
