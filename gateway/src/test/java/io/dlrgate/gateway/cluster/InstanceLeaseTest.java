package io.dlrgate.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.ClusterConfig;
import io.dlrgate.reporting.cluster.InstanceStore;
import io.dlrgate.reporting.message.Claimant;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What an instance does with its own lease, on a real PostgreSQL and a fake monotonic clock (heartbeats are driven
 * by hand here; the scheduled ones are a minute apart): it stops claiming a heartbeat before the lease would run
 * out, goes on under the same id when a late heartbeat renews it, and registers anew, never again holding the old
 * id, when a survivor took it over meanwhile.
 */
class InstanceLeaseTest {

    static final ClusterConfig CONFIG = new ClusterConfig(Duration.ofMinutes(1), Duration.ofMinutes(5));
    static TestDatabase db;
    static InstanceStore store;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        store = new InstanceStore(db.database().dataSource());
    }

    @AfterAll
    static void down() {
        db.close();
    }

    @Test
    void holdsUntilAHeartbeatBeforeTheLeaseRunsOutThenGoesOnWhenRenewed() throws Exception {
        AtomicLong nanos = new AtomicLong(1_000);
        try (InstanceLease lease = InstanceLease.start(store, CONFIG, nanos::get)) {
            long id = lease.instanceId();
            assertTrue(id > 0);
            assertTrue(lease.holds(id));
            nanos.addAndGet(Duration.ofMinutes(4).toNanos() - 1); // lease 5m, heartbeat 1m: held for 4m
            assertTrue(lease.holds(id));
            nanos.addAndGet(1);
            assertEquals(Claimant.NO_LEASE, lease.instanceId(), "no claims once the lease may have run out");
            assertFalse(lease.holds(id), "nothing claimed under it is written");

            assertEquals(0, lease.lapses());
            lease.tick(); // the heartbeat gets through: nobody took the instance over
            assertEquals(id, lease.instanceId(), "the same lease, renewed");
            assertTrue(lease.holds(id));
            assertEquals(1, lease.lapses(), "renewed late: its binds are counted again");
            lease.tick();
            assertEquals(1, lease.lapses(), "renewed in time: nothing to count again");
        }
    }

    @Test
    void takenOverItRegistersAnewAndNeverHoldsTheOldIdAgain() throws Exception {
        AtomicLong nanos = new AtomicLong(1_000);
        try (InstanceLease lease = InstanceLease.start(store, CONFIG, nanos::get)) {
            long old = lease.instanceId();
            // A long pause: a survivor found the lease run out and took the instance over.
            try (Connection c = db.database().connection()) {
                c.createStatement().executeUpdate("update instances set released_at = now(), released_by = 0 "
                        + "where id = " + old);
            }
            lease.tick();
            assertEquals(1, lease.lapses(), "registered anew: its binds are counted again");
            long renewed = lease.instanceId();
            assertNotEquals(Claimant.NO_LEASE, renewed);
            assertNotEquals(old, renewed, "a new id");
            assertFalse(lease.holds(old), "what was claimed under the old id is not written");
            assertTrue(lease.holds(renewed));
            assertEquals(1, db.count("select count(*) from instances where id = " + renewed
                    + " and released_at is null"));
        }
    }

    @Test
    void aCleanCloseReleasesTheLease() throws Exception {
        InstanceLease lease = InstanceLease.start(store, CONFIG, () -> 0);
        long id = lease.instanceId();
        lease.close();
        assertEquals(Claimant.NO_LEASE, lease.instanceId());
        assertEquals(id, db.count("select released_by from instances where id = " + id));
    }
}
