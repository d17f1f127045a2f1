package io.dlrgate.reporting.message;

/**
 * Who claims queued messages for dispatch: the gateway instance whose lease the claims are made under (V23). A
 * claim is marked with the instance's id and happens only while the instance's lease row is live in the store, so
 * what it leaves in flight can be requeued once it is dead, and never while it lives.
 */
@FunctionalInterface
public interface Claimant {

    /** Returned by {@link #instanceId()} while the instance holds no lease: it claims nothing then. */
    long NO_LEASE = -1;

    /** Claims without a lease, unmarked: one process alone on its database (tests, tools). */
    Claimant UNMARKED = () -> 0;

    /**
     * @return the instance id to mark claims with; {@link #NO_LEASE} to claim nothing; 0 to claim unmarked
     *         (only {@link #UNMARKED})
     */
    long instanceId();
}
