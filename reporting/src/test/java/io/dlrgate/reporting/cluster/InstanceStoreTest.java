package io.dlrgate.reporting.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.message.Claimant;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.OutboundMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.webhooks.Outbox;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leases and takeovers on a real PostgreSQL: claims are marked with their instance, only dead instances' messages
 * are requeued, each by exactly one survivor, and the row lock orders a takeover against a dead instance's last
 * claim. Each test uses carriers of its own.
 */
class InstanceStoreTest {

    static final Duration LEASE = Duration.ofMinutes(5);
    /** A survivor alive since far in the future: only the lease's own expiry decides. */
    static final Instant FAR = Instant.parse("2999-01-01T00:00:00Z");
    static TestDatabase db;
    static InstanceStore instances;
    static MessageStore unmarked;

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        instances = new InstanceStore(db.database().dataSource());
        unmarked = new MessageStore(db.database().dataSource(), Clock.systemUTC());
    }

    @AfterAll
    static void down() {
        db.close();
    }

    static MessageStore claimingAs(long instance) {
        return new MessageStore(db.database().dataSource(), Clock.systemUTC(), new Outbox(), () -> instance);
    }

    static void queue(String carrier, int n) throws Exception {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            batch.add(new NewMessage(null, null, Source.API, String.format("+447700%06d", i), "GB", "hi", carrier,
                    Instant.now().plus(Duration.ofDays(1))));
        }
        try (Connection c = db.database().connection()) {
            unmarked.insertAll(c, batch);
        }
    }

    static long count(String sql) throws Exception {
        return db.count(sql);
    }

    /** A lease that ran out at once: the next transaction's now() is past it. */
    static long deadInstance() throws Exception {
        long id = instances.register("host-dead", 1, Duration.ZERO);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from instances where id = " + id
                + " and lease_until < now()") == 1);
        return id;
    }

    @Test
    void claimsAreMarkedAndOnlyTheDeadInstancesOnesAreRequeuedOnce() throws Exception {
        queue("t1", 30);
        long alive = instances.register("host-a", 11, LEASE);
        long doomed = instances.register("host-b", 12, LEASE);
        assertEquals(10, claimingAs(alive).claim("t1", 10).size());
        assertEquals(10, claimingAs(doomed).claim("t1", 10).size());
        assertEquals(10, count("select count(*) from messages where carrier_id = 't1' and claimed_by = " + alive));
        // The doomed instance stops heartbeating: its lease runs out (shortened here rather than waited for).
        try (Connection c = db.database().connection()) {
            c.createStatement().executeUpdate("update instances set lease_until = now() - interval '1 second' "
                    + "where id = " + doomed);
        }
        long survivor = instances.register("host-c", 13, LEASE);
        long other = instances.register("host-d", 14, LEASE);

        InstanceStore.Takeover first = instances.takeOverDead(survivor, FAR);
        assertTrue(first.instances().contains(doomed), first.toString());
        assertEquals(10, first.requeued());
        assertEquals(InstanceStore.Takeover.NONE, instances.takeOverDead(other, FAR), "done once");
        assertEquals(10, count("select count(*) from messages where carrier_id = 't1' and dispatch_state = 'in_flight'"
                + " and claimed_by = " + alive), "the live instance's messages stay in flight");
        assertEquals(20, count("select count(*) from messages where carrier_id = 't1' and dispatch_state = 'queued'"));
        assertEquals(survivor, count("select released_by from instances where id = " + doomed));

        // Released: the dead instance neither renews its lease nor claims again.
        assertTrue(instances.heartbeat(doomed, LEASE).isEmpty());
        assertTrue(claimingAs(doomed).claim("t1", 10).isEmpty());
        assertTrue(instances.heartbeat(alive, LEASE).isPresent());
        assertTrue(claimingAs(Claimant.NO_LEASE).claim("t1", 10).isEmpty(), "no lease, no claim");
    }

    @Test
    void aCleanStopRequeuesItsOwnAndReleasesAtOnce() throws Exception {
        queue("t2", 20);
        long stopping = instances.register("host-a", 21, LEASE);
        long staying = instances.register("host-b", 22, LEASE);
        claimingAs(stopping).claim("t2", 5);
        claimingAs(staying).claim("t2", 5);
        int live = instances.countLive();

        assertEquals(5, instances.release(stopping));
        assertEquals(live - 1, instances.countLive());
        assertEquals(stopping, count("select released_by from instances where id = " + stopping));
        assertEquals(5, count("select count(*) from messages where carrier_id = 't2' and dispatch_state = 'in_flight'"
                + " and claimed_by = " + staying));
        assertEquals(15, count("select count(*) from messages where carrier_id = 't2' and dispatch_state = 'queued'"));
        assertTrue(claimingAs(stopping).claim("t2", 5).isEmpty(), "a stopped instance claims nothing");
    }

    @Test
    void aLeaseRenewedAfterItRanOutIsNotTakenOver() throws Exception {
        long late = deadInstance();
        assertTrue(instances.heartbeat(late, LEASE).isPresent(), "nobody took it over yet: the heartbeat renews it");
        long survivor = instances.register("host-s", 31, LEASE);
        assertFalse(instances.takeOverDead(survivor, FAR).instances().contains(late));
    }

    @Test
    void aSurvivorTakesOverOnlyLeasesThatRanOutBeforeItsOwnPreviousHeartbeat() throws Exception {
        long expired = deadInstance();
        long survivor = instances.register("host-s", 35, LEASE);
        // Back from an outage: the survivor's previous heartbeat is older than the other's expiry.
        Instant before = Instant.now().minus(Duration.ofMinutes(1));
        assertFalse(instances.takeOverDead(survivor, before).instances().contains(expired), "given time to renew");
        instances.heartbeat(survivor, LEASE).orElseThrow();
        Instant next = instances.heartbeat(survivor, LEASE).orElseThrow();
        assertTrue(instances.takeOverDead(survivor, next).instances().contains(expired), "not renewed since");
    }

    @Test
    void unmarkedInFlightMessagesAreRequeuedAtStartButMarkedOnesAreNot() throws Exception {
        queue("t4", 10);
        long owner = instances.register("host-a", 41, LEASE);
        unmarked.claim("t4", 4);
        claimingAs(owner).claim("t4", 6);
        assertEquals(4, unmarked.requeueInFlight());
        assertEquals(6, count("select count(*) from messages where carrier_id = 't4' and dispatch_state = 'in_flight'"));
    }

    @Test
    void twoSurvivorsRacingTakeEachDeadInstanceOverOnce() throws Exception {
        int deadCount = 20;
        List<Long> dead = new ArrayList<>();
        for (int i = 0; i < deadCount; i++) {
            long id = instances.register("host-x", 500 + i, LEASE);
            queue("t5-" + i, 3);
            assertEquals(3, claimingAs(id).claim("t5-" + i, 3).size());
            dead.add(id);
        }
        try (Connection c = db.database().connection()) {
            c.createStatement().executeUpdate("update instances set lease_until = now() - interval '1 second' "
                    + "where host = 'host-x'");
        }
        long s1 = instances.register("host-s1", 51, LEASE);
        long s2 = instances.register("host-s2", 52, LEASE);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<InstanceStore.Takeover>>> runs = new ArrayList<>();
            for (long me : List.of(s1, s2)) {
                runs.add(pool.submit(() -> {
                    List<InstanceStore.Takeover> mine = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        mine.add(instances.takeOverDead(me, FAR));
                    }
                    return mine;
                }));
            }
            Set<Long> taken = new HashSet<>();
            int requeued = 0;
            int takenTotal = 0;
            for (Future<List<InstanceStore.Takeover>> f : runs) {
                for (InstanceStore.Takeover t : f.get()) {
                    taken.addAll(t.instances());
                    takenTotal += t.instances().size();
                    requeued += t.requeued();
                }
            }
            assertTrue(taken.containsAll(dead), "every dead instance taken over");
            assertEquals(taken.size(), takenTotal, "no instance taken over twice");
            assertEquals(deadCount * 3, requeued, "each message requeued once");
        } finally {
            pool.shutdown();
        }
    }

    /**
     * The race the row lock closes: a survivor locks a dead instance's row while that instance's claim is about to
     * run. The claim waits for the takeover, then finds the row released and claims nothing; without the lock it
     * would mark messages in flight for an instance already taken over, and nobody would ever requeue them.
     */
    @Test
    void aClaimRacingATakeoverClaimsNothingOnceTheInstanceIsReleased() throws Exception {
        queue("t6", 5);
        long dying = instances.register("host-a", 61, LEASE);
        long survivor = instances.register("host-b", 62, LEASE);
        try (Connection takeover = db.database().connection()) {
            takeover.setAutoCommit(false);
            try (PreparedStatement lock = takeover.prepareStatement("select id from instances where id = ? for update")) {
                lock.setLong(1, dying);
                lock.executeQuery().close();
            }
            CompletableFuture<List<OutboundMessage>> claim = CompletableFuture.supplyAsync(() -> {
                try {
                    return claimingAs(dying).claim("t6", 5);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            // The claim is waiting on the row lock (seen in pg_locks), not done.
            await().atMost(Duration.ofSeconds(10)).until(() -> count("select count(*) from pg_stat_activity "
                    + "where datname = current_database() and wait_event_type = 'Lock' and query like '%for key share%'") >= 1);
            assertFalse(claim.isDone());
            takeover.createStatement().executeUpdate("update instances set released_at = now(), released_by = "
                    + survivor + " where id = " + dying);
            takeover.commit();
            assertTrue(claim.get().isEmpty(), "claimed under a released lease");
        }
        assertEquals(5, count("select count(*) from messages where carrier_id = 't6' and dispatch_state = 'queued'"));
    }

    @Test
    void aTakeoverSkipsAnInstanceWhoseClaimIsStillRunning() throws Exception {
        long dying = deadInstance();
        long survivor = instances.register("host-b", 72, LEASE);
        try (Connection claim = db.database().connection()) {
            claim.setAutoCommit(false);
            try (PreparedStatement ps = claim.prepareStatement("select id from instances where id = ? for key share")) {
                ps.setLong(1, dying);
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                }
            }
            assertFalse(instances.takeOverDead(survivor, FAR).instances().contains(dying), "skipped while locked");
            claim.commit();
        }
        assertTrue(instances.takeOverDead(survivor, FAR).instances().contains(dying), "taken once the claim committed");
    }
}
