package io.dlrgate.reporting.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.cluster.InstanceStore;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.webhooks.Outbox;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MessageStoreTest {

    static TestDatabase db;
    static MessageStore store;
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");

    @BeforeAll
    static void up() {
        db = TestDatabase.create();
        store = new MessageStore(db.database().dataSource(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterAll
    static void down() {
        db.close();
    }

    static NewMessage msg(String to, String carrier) {
        return new NewMessage(null, null, Source.API, to, "GB", "hello " + to, carrier, NOW.plus(Duration.ofHours(48)));
    }

    @Test
    void insertedMessageReadsBackPendingAndQueued() throws Exception {
        long id = store.insert(msg("+447700900001", "alpha"));
        MessageView v = store.find(id).orElseThrow();
        assertEquals("+447700900001", v.recipient());
        assertEquals(Tab.PENDING, v.tab());
        assertEquals("queued", v.dispatchState());
        assertEquals(NOW.plus(Duration.ofHours(48)), v.validityDeadline());
        assertTrue(store.find(id + 1000).isEmpty());
    }

    @Test
    void concurrentClaimsNeverHandOutTheSameMessageTwice() throws Exception {
        List<NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            batch.add(msg("+3361234" + String.format("%04d", i), "claimtest"));
        }
        try (Connection c = db.database().connection()) {
            store.insertAll(c, batch);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<Long>>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(pool.submit(() -> {
                List<Long> mine = new ArrayList<>();
                List<OutboundMessage> got;
                while (!(got = store.claim("claimtest", 97)).isEmpty()) {
                    got.forEach(m -> mine.add(m.id()));
                }
                return mine;
            }));
        }
        Set<Long> all = new HashSet<>();
        int total = 0;
        for (Future<List<Long>> f : futures) {
            List<Long> ids = f.get();
            total += ids.size();
            all.addAll(ids);
        }
        pool.shutdown();
        assertEquals(2000, total, "every message claimed once");
        assertEquals(2000, all.size(), "no message claimed twice");
        assertEquals(0, store.countQueued("claimtest"));
        assertEquals(2000, store.requeueInFlight());
        assertEquals(2000, store.countQueued("claimtest"));
    }

    /**
     * A claim under a lease locks the instance's row (FOR KEY SHARE), which gives its transaction an id and its
     * commit a WAL flush: worth it for a batch, waste for an idle poll. The row's xmax shows whether it was locked.
     */
    @Test
    void anEmptyClaimUnderALeaseLocksNothingAndAClaimThatFindsWorkLocksTheLease() throws Exception {
        long instance = new InstanceStore(db.database().dataSource()).register("host", 1, Duration.ofMinutes(5));
        MessageStore leased = new MessageStore(db.database().dataSource(), Clock.fixed(NOW, ZoneOffset.UTC),
                new Outbox(), () -> instance);
        String xmax = "select xmax::text::bigint from instances where id = " + instance;
        long before = db.count(xmax);

        assertTrue(leased.claim("leasetest", 10).isEmpty());
        assertEquals(before, db.count(xmax), "an idle poll left the lease row as it was");

        store.insert(msg("+447700900077", "leasetest"));
        assertEquals(1, leased.claim("leasetest", 10).size());
        assertTrue(db.count(xmax) != before, "the claim locked the lease row");
        assertEquals(instance, db.count("select claimed_by from messages where carrier_id = 'leasetest'"));
    }
}
