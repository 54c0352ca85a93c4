package io.trunkline.deploy.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Whether this instance may still act for a run: its lease confirmed less than a TTL ago and not lost. */
class ActiveRunsTest {

    private static final Duration TTL = Duration.ofSeconds(30);
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aLeaseIsHeldUntilOneTtlAfterItWasLastConfirmed() {
        ActiveRuns.HeldLease lease = new ActiveRuns.HeldLease(100 * SECOND, false);

        assertThat(lease.heldAt(100 * SECOND, TTL)).isTrue();
        assertThat(lease.heldAt(129 * SECOND, TTL)).isTrue();
        assertThat(lease.heldAt(130 * SECOND, TTL)).isFalse();
    }

    @Test
    void aLostLeaseIsNotHeld() {
        assertThat(new ActiveRuns.HeldLease(100 * SECOND, true).heldAt(100 * SECOND, TTL)).isFalse();
    }

    @Test
    void renewalsExtendTheLeaseAndRunsEndedOrUnknownHoldNone() {
        ActiveRuns active = new ActiveRuns();
        UUID run = UUID.randomUUID();

        assertThat(active.leaseHeld(run, TTL)).isFalse();
        active.started(run, System.nanoTime() - TTL.toNanos() - 1);
        assertThat(active.leaseHeld(run, TTL)).isFalse();
        active.renewed(run, System.nanoTime());
        assertThat(active.leaseHeld(run, TTL)).isTrue();
        assertThat(active.ids()).containsExactly(run);
        active.lost(run);
        assertThat(active.leaseHeld(run, TTL)).isFalse();
        assertThat(active.contains(run)).isTrue();
        active.ended(run);
        assertThat(active.contains(run)).isFalse();
    }
}
