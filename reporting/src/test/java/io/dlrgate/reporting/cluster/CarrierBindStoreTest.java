package io.dlrgate.reporting.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Carrier binds and outbound slots across instances on a real PostgreSQL: admissions racing on many connections
 * never admit more than max_binds, only live leases count, and slots are shared out without duplicates. Each test
 * uses carriers of its own.
 */
class CarrierBindStoreTest {

    static final Duration LEASE = Duration.ofMinutes(5);
    static TestDatabase db;
    static InstanceStore instances;
    static CarrierBindStore binds;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        instances = new InstanceStore(db.database().dataSource());
        binds = new CarrierBindStore(db.database().dataSource());
    }

    @AfterAll
    static void down() {
        db.close();
    }

    static void execute(String sql) throws Exception {
        try (Connection c = db.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    @Test
    void bindsRacingOnThreeInstancesAreAdmittedUpToMaxBinds() throws Exception {
        List<Long> ids = List.of(instances.register("a", 1, LEASE), instances.register("b", 2, LEASE),
                instances.register("c", 3, LEASE));
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<CarrierBindStore.Admission>> tries = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                long instance = ids.get(i % 3);
                long session = i;
                tries.add(() -> binds.admit(instance, "race", session, 4));
            }
            int admitted = 0;
            for (Future<CarrierBindStore.Admission> f : pool.invokeAll(tries)) {
                if (f.get() == CarrierBindStore.Admission.ADMITTED) {
                    admitted++;
                }
            }
            assertEquals(4, admitted);
            assertEquals(4, db.count("select count(*) from carrier_binds where carrier = 'race'"));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * An instance whose lease ran out (its rows still there) while another admitted binds in their place: counted
     * again, its oldest binds keep the places left and the rest are to close; with its lease out, nothing changes.
     */
    @Test
    void bindsCountedAgainAfterALapseKeepOnlyThePlacesLeft() throws Exception {
        long lapsed = instances.register("lapsed", 1, LEASE);
        long other = instances.register("other", 2, LEASE);
        for (long session = 1; session <= 3; session++) {
            assertEquals(CarrierBindStore.Admission.ADMITTED, binds.admit(lapsed, "lapse", session, 4));
        }
        execute("update instances set lease_until = now() - interval '1 second' where id = " + lapsed);
        assertEquals(null, binds.readmit(lapsed, "lapse", List.of(1L, 2L, 3L), 4), "no lease: nothing to count");
        for (long session = 11; session <= 12; session++) {
            assertEquals(CarrierBindStore.Admission.ADMITTED, binds.admit(other, "lapse", session, 4));
        }
        execute("update instances set lease_until = now() + interval '5 minutes' where id = " + lapsed);

        assertEquals(List.of(3L), binds.readmit(lapsed, "lapse", List.of(1L, 2L, 3L), 4));
        assertEquals(2, db.count("select count(*) from carrier_binds where carrier = 'lapse' and instance_id = "
                + lapsed + " and session_id in (1, 2)"));
        assertEquals(4, db.count("select count(*) from carrier_binds where carrier = 'lapse'"));
    }

    @Test
    void onlyLiveLeasesCountAndAReleasedInstancesBindsAreRemoved() throws Exception {
        long dead = instances.register("dead", 1, LEASE);
        long live = instances.register("live", 2, LEASE);
        assertEquals(CarrierBindStore.Admission.ADMITTED, binds.admit(dead, "lease", 1, 1));
        assertEquals(CarrierBindStore.Admission.MAX_BINDS, binds.admit(live, "lease", 1, 1));
        // The dead instance's lease runs out: its bind stops counting before anyone removed it.
        execute("update instances set lease_until = now() - interval '1 second' where id = " + dead);
        assertEquals(CarrierBindStore.Admission.NO_LEASE, binds.admit(dead, "lease", 2, 5));
        assertEquals(CarrierBindStore.Admission.ADMITTED, binds.admit(live, "lease", 1, 1));
        instances.takeOverDead(live, null);
        assertEquals(0, db.count("select count(*) from carrier_binds where instance_id = " + dead));
        // A clean stop removes the instance's own.
        instances.release(live);
        assertEquals(0, db.count("select count(*) from carrier_binds where carrier = 'lease'"));
    }

    @Test
    void slotsAreSharedOutByCeilOfSessionsOverLiveInstancesWithoutDuplicates() throws Exception {
        long a = instances.register("a", 1, LEASE);
        CarrierBindStore.Slots first = binds.balanceSlots(a, "slots", 5);
        int live = (int) db.count("select count(*) from instances where released_at is null "
                + "and lease_until > now()");
        long b = instances.register("b", 2, LEASE);
        // a holds ceil(5 / live) of them; b finds the rest free, or none.
        assertEquals(Math.min(5, (5 + live - 1) / live), first.mine().size());
        CarrierBindStore.Slots aAgain = binds.balanceSlots(a, "slots", 5);
        CarrierBindStore.Slots bSlots = binds.balanceSlots(b, "slots", 5);
        Set<Integer> overlap = new TreeSet<>(aAgain.mine());
        overlap.retainAll(bSlots.mine());
        assertEquals(Set.of(), overlap);
        int share = (5 + live) / (live + 1); // ceil(5 / (live + 1))
        assertEquals(aAgain.mine().size() - share, aAgain.shed().size(), "a sheds what is over its share");
        assertTrue(bSlots.mine().size() <= share);
        // a releases what it shed (its sessions unbound): b claims up to its share.
        for (int slot : aAgain.shed()) {
            binds.releaseSlot(a, "slots", slot);
        }
        CarrierBindStore.Slots bAfter = binds.balanceSlots(b, "slots", 5);
        assertEquals(Math.min(share, 5 - (aAgain.mine().size() - aAgain.shed().size())), bAfter.mine().size());
        // b's lease runs out: a takes its slots back at the next pass, up to its share.
        execute("update instances set lease_until = now() - interval '1 second' where id = " + b);
        CarrierBindStore.Slots aAfter = binds.balanceSlots(a, "slots", 5);
        assertEquals(0, db.count("select count(*) from connect_slots where instance_id = " + b));
        assertEquals(aAfter.mine().size(), db.count("select count(*) from connect_slots where carrier = 'slots'"));
    }
}
