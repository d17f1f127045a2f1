package io.dlrgate.reporting.expiry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.db.Database;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three gateway processes on one database, as far as expiry is concerned: three sweepers, each with its own
 * connection pool, expire 100,000 messages side by side. Each message must be expired exactly once: the ids they
 * report do not overlap, together they are every message, and the table agrees.
 */
class ExpirySweeperConcurrencyTest {

    static final int MESSAGES = 100_000;
    static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void threeSweepersExpireOneHundredThousandMessagesEachExactlyOnce() throws Exception {
        try (TestDatabase db = TestDatabase.create();
             Database poolA = Database.open(db.config());
             Database poolB = Database.open(db.config());
             Database poolC = Database.open(db.config())) {
            try (Connection c = db.database().connection();
                 PreparedStatement ps = c.prepareStatement("insert into messages (source, recipient, content, "
                         + "carrier_id, dispatch_state, created_at, validity_deadline) select 'api', '+44' || g, 'x', "
                         + "case when g % 2 = 0 then 'alpha' else 'beta' end, "
                         + "case when g % 3 = 0 then 'queued' else 'submitted' end, ?, "
                         + "?::timestamptz + (g % 1000) * interval '1 millisecond' from generate_series(1, ?) g")) {
                ps.setTimestamp(1, Timestamp.from(T0));
                ps.setTimestamp(2, Timestamp.from(T0.plus(Duration.ofMinutes(10))));
                ps.setInt(3, MESSAGES);
                assertEquals(MESSAGES, ps.executeUpdate());
            }
            Set<Long> all = new HashSet<>();
            try (Connection c = db.database().connection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("select id from messages")) {
                while (rs.next()) {
                    all.add(rs.getLong(1));
                }
            }

            Duration grace = Duration.ofMinutes(5);
            Instant now = T0.plus(Duration.ofMinutes(16));
            List<ExpirySweeper> sweepers = List.of(new ExpirySweeper(poolA.dataSource(), grace, 500),
                    new ExpirySweeper(poolB.dataSource(), grace, 500), new ExpirySweeper(poolC.dataSource(), grace, 500));
            // All must take part: each, after its first committed batch, waits (bounded) for the others' first.
            CountDownLatch allStarted = new CountDownLatch(sweepers.size());
            ExecutorService pool = Executors.newFixedThreadPool(sweepers.size());
            try {
                List<Future<List<Long>>> runs = new java.util.ArrayList<>();
                sweepers.forEach(sw -> runs.add(pool.submit(() -> run(sw, now, allStarted))));
                Set<Long> union = new HashSet<>();
                int reported = 0;
                for (Future<List<Long>> f : runs) {
                    List<Long> ids = f.get(5, TimeUnit.MINUTES);
                    assertTrue(ids.size() > 0, "every sweeper expired some");
                    assertEquals(ids.size(), new HashSet<>(ids).size(), "a sweeper reported a message twice");
                    reported += ids.size();
                    union.addAll(ids);
                }
                assertEquals(reported, union.size(), (reported - union.size()) + " messages expired twice");
                assertEquals(all, union, "together they expired every message");
                assertEquals(MESSAGES, reported);
            } finally {
                pool.shutdownNow();
            }
            assertEquals(MESSAGES, count(db, "select count(*) from messages where tab = 'soft-bounces' "
                    + "and last_stat = 'EXPIRED' and final_by = 'expiry' and final_at = timestamptz '" + now + "'"));
            assertEquals(0, count(db, "select count(*) from messages where tab = 'pending'"));
            assertEquals(0, count(db, "select count(*) from messages where dispatch_state = 'queued'"));
            assertEquals(MESSAGES / 3, count(db, "select count(*) from messages where dispatch_state = 'expired'"));
            for (ExpirySweeper sw : sweepers) {
                assertEquals(0, sw.sweepOnce(now), "nothing left for a second pass");
            }
        }
    }

    private static List<Long> run(ExpirySweeper s, Instant now, CountDownLatch allStarted) throws Exception {
        List<Long> ids = new java.util.ArrayList<>();
        boolean[] first = {true};
        s.sweepOnce(now, batch -> {
            batch.forEach(e -> ids.add(e.id()));
            if (first[0]) {
                first[0] = false;
                allStarted.countDown();
                try {
                    allStarted.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return ids;
    }

    private static long count(TestDatabase db, String sql) throws Exception {
        return db.count(sql);
    }
}
