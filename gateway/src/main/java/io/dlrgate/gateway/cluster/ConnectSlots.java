package io.dlrgate.gateway.cluster;

import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.smpp.client.SmppClient;
import io.dlrgate.reporting.cluster.CarrierBindStore;
import io.dlrgate.reporting.message.Claimant;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Spreads the outbound sessions of every {@code connect} carrier over the live instances, none twice: each session
 * is a slot in the store held under one instance's lease ({@link CarrierBindStore#balanceSlots}). At every
 * heartbeat each instance frees the slots of instances whose lease ran out, claims free slots up to its fair share
 * (ceil(sessions / live instances)) and gives up what it holds beyond it. A slot given up is released in the
 * store only once its session is unbound, so the carrier never sees the same session bound from two instances.
 */
public final class ConnectSlots {

    private static final Logger log = LoggerFactory.getLogger(ConnectSlots.class);

    private final CarrierBindStore store;
    private final InstanceLease lease;
    private final SmppClient client;
    private final LogRateLimit failures = new LogRateLimit(3, Duration.ofMinutes(1));

    public ConnectSlots(CarrierBindStore store, InstanceLease lease, SmppClient client) {
        this.store = store;
        this.lease = lease;
        this.client = client;
    }

    /**
     * One balancing pass over every connect carrier (on the lease thread, after a heartbeat; also once at start).
     * Without a lease nothing changes: the slots it holds are either still its own, or taken over with its lease,
     * and then the next pass under the new lease gives their sessions up.
     */
    public void balance() {
        long me = lease.instanceId();
        if (me == Claimant.NO_LEASE) {
            return;
        }
        for (CarrierConfig c : client.carriers()) {
            try {
                CarrierBindStore.Slots slots = store.balanceSlots(me, c.id(), c.connect().sessions());
                Set<Integer> keep = new TreeSet<>(slots.mine());
                keep.removeAll(slots.shed());
                client.keep(c.id(), keep);
                for (int slot : slots.shed()) {
                    client.stopped(c.id(), slot).thenRun(() -> release(me, c.id(), slot));
                }
            } catch (SQLException | RuntimeException e) {
                failures.warn(log, "instance {}: cannot balance the outbound sessions of carrier {} ({}); keeping "
                        + "those it has", me, c.id(), e.toString());
            }
        }
    }

    private void release(long me, String carrierId, int slot) {
        try {
            store.releaseSlot(me, carrierId, slot);
        } catch (SQLException e) {
            // Still held: given up again at the next pass, whose stopped() is complete at once.
            failures.warn(log, "instance {}: cannot release outbound session {} of carrier {} ({})", me, slot,
                    carrierId, e.toString());
        }
    }
}
