package io.trunkline.deploy.service;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runs this instance is working on right now, and when their lease was last confirmed in the
 * database. {@link LeaseRenewal} renews these leases; {@link LeaseRecovery} leaves these runs alone
 * even when their lease expired (the database was unreachable), because their worker is alive and
 * will record the outcome.
 */
@ApplicationScoped
public class ActiveRuns {

    private final Map<UUID, HeldLease> runs = new ConcurrentHashMap<>();

    /**
     * A run's lease is held by this instance.
     *
     * @param confirmedAt {@link System#nanoTime()} taken before the transaction that set the lease began
     */
    public void started(UUID deploymentId, long confirmedAt) {
        runs.put(deploymentId, new HeldLease(confirmedAt, false));
    }

    /** A renewal that began at {@code confirmedAt} (nanoTime) went through. */
    public void renewed(UUID deploymentId, long confirmedAt) {
        runs.computeIfPresent(deploymentId, (id, lease) -> new HeldLease(Math.max(lease.confirmedAt(), confirmedAt), false));
    }

    /** A renewal found the run ended or held by another instance. */
    public void lost(UUID deploymentId) {
        runs.computeIfPresent(deploymentId, (id, lease) -> new HeldLease(lease.confirmedAt(), true));
    }

    /** The worker is done with the run, or stopped working on it. */
    public void ended(UUID deploymentId) {
        runs.remove(deploymentId);
    }

    public Set<UUID> ids() {
        return Set.copyOf(runs.keySet());
    }

    public boolean contains(UUID deploymentId) {
        return runs.containsKey(deploymentId);
    }

    /** Whether this instance surely still holds the run's lease, so that calling the target again is its call to make. */
    public boolean leaseHeld(UUID deploymentId, Duration ttl) {
        HeldLease lease = runs.get(deploymentId);
        return lease != null && lease.heldAt(System.nanoTime(), ttl);
    }

    /**
     * This instance's view of a lease.
     *
     * @param confirmedAt nanoTime before the last transaction that set or renewed the lease: the lease
     *                    ends {@code ttl} after that transaction's start, so never before {@code confirmedAt + ttl}
     * @param lost a renewal found the run taken over or ended
     */
    record HeldLease(long confirmedAt, boolean lost) {

        /** Held at {@code now} (nanoTime): confirmed less than {@code ttl} ago and not lost. */
        boolean heldAt(long now, Duration ttl) {
            return !lost && now - confirmedAt < ttl.toNanos();
        }
    }
}
