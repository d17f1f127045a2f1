package io.dlrgate.reporting.write;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.bounce.BounceRules;
import io.dlrgate.reporting.correlation.CorrelationWindow;
import io.dlrgate.reporting.correlation.OrphanStore;
import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.state.DeliveryStateMachine;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.testing.TestMessages;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes on one database, as far as the orphan re-match is concerned: each finds the same
 * matchable orphans (its own unlocked read) and hands the same re-match outcomes to its own writer, on its own
 * connection pool, at the same time, each in an order of its own. Every orphan is applied to its message exactly
 * once: the writers lock messages and then open orphans (in id order, so they never deadlock) and re-read
 * {@code matched_at is null} under the lock, so a second writer finds the orphan matched and leaves it.
 */
class OrphanRematchConcurrencyTest {

    static final int ORPHANS = 300;
    static final int WRITERS = 3;
    static final Instant NOW = Instant.parse("2026-11-27T10:00:00Z");
    static final String CARRIER = "rm";

    @Test
    void threeWritersRematchingTheSameOrphansApplyEachOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create()) {
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            DeliveryStateMachine machine = DeliveryStateMachine.withDefaults();
            DeliveryWriter seed = new DeliveryWriter(db.database().dataSource(), carrier -> machine, clock);
            MessageStore messages = new MessageStore(db.database().dataSource(), clock);
            // Each receipt arrives before its message's id is known here: an orphan. The id then reaches the store
            // behind this writer's back (as another process's submit_sm_resp would).
            for (int i = 0; i < ORPHANS; i++) {
                String key = "k" + i;
                WriteResult o = seed.write(List.of(), List.of(new IncomingReceipt(NOW,
                        CARRIER, "deliver_sm", 0x04, key, key, "DELIVRD", "000", null, null, null, null, false,
                        "id:" + key + " stat:DELIVRD")));
                assertTrue(o.receipts().get(0).orphan());
                long id = TestMessages.inFlight(messages, CARRIER, String.format("+447700%06d", i),
                        NOW.plus(Duration.ofDays(2)));
                try (Connection c = db.database().connection();
                     PreparedStatement ps = c.prepareStatement("update messages set carrier_message_id = ?, "
                             + "dispatch_state = 'submitted', sent_at = created_at where id = ?")) {
                    ps.setString(1, key);
                    ps.setLong(2, id);
                    assertEquals(1, ps.executeUpdate());
                }
            }
            List<OrphanStore.CarrierKey> keys = new OrphanStore(db.database().dataSource())
                    .matchableOlderThan(NOW.plusSeconds(1), 10_000);
            assertEquals(ORPHANS, keys.size());

            List<Database> pools = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> runs = new ArrayList<>();
                for (int w = 0; w < WRITERS; w++) {
                    Database own = Database.open(db.config());
                    pools.add(own);
                    DeliveryWriter writer = new DeliveryWriter(own.dataSource(), carrier -> machine, clock,
                            BounceRules.defaults(), CorrelationWindow.withoutHorizon());
                    List<OrphanStore.CarrierKey> order = new ArrayList<>(keys);
                    Collections.shuffle(order, new Random(w));
                    runs.add(pool.submit(() -> {
                        go.await();
                        int matched = 0;
                        for (int from = 0; from < order.size(); from += 25) {
                            List<SubmitOutcome> batch = order.subList(from, Math.min(order.size(), from + 25))
                                    .stream().map(k -> SubmitOutcome.rematch(k.carrierId(), k.receiptedId(), NOW))
                                    .toList();
                            matched += writer.write(batch, List.of()).matchedOrphans().size();
                        }
                        return matched;
                    }));
                }
                go.countDown();
                int matched = 0;
                for (Future<Integer> f : runs) {
                    matched += f.get(3, TimeUnit.MINUTES);
                }
                assertEquals(ORPHANS, matched, "each orphan matched once, over all writers");
            } finally {
                pool.shutdownNow();
                pools.forEach(Database::close);
            }
            assertEquals(ORPHANS, db.count("select count(*) from messages where carrier_id = '" + CARRIER
                    + "' and tab = 'delivered'"));
            assertEquals(0, db.count("select count(*) from orphan_receipts where matched_at is null"));
        }
    }
}
