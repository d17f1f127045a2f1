package io.dlrgate.reporting.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Partitions made ahead (idempotent, from several instances at once, never overlapping, the id sequences only ever
 * moving forward, a clock in the past changing nothing) and retention (whole months dropped as tables, counters and
 * the suppressed list untouched). The migration made this month's partitions and the next two; months further ahead
 * stand for time passing.
 */
class PartitionStoreTest {

    private static final List<String> TABLES = List.of("messages", "message_parts", "receipts", "orphan_receipts");

    private TestDatabase db;
    private PartitionStore store;
    private final YearMonth now = YearMonth.now(ZoneOffset.UTC);

    @BeforeEach
    void open() {
        db = TestDatabase.create();
        store = new PartitionStore(db.database().dataSource());
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void theMigrationMadeThisMonthAndTwoAheadAndMovedTheSequences() throws Exception {
        for (String t : TABLES) {
            for (int i = 0; i < 3; i++) {
                assertTrue(exists(name(t, now.plusMonths(i))), name(t, now.plusMonths(i)));
            }
            assertFalse(exists(name(t, now.plusMonths(3))));
        }
        assertEquals(IdBlocks.firstIdOf(now), db.count("select last_value from messages_id_seq"));
        assertEquals(IdBlocks.firstIdOf(now), db.count("select last_value from receipts_id_seq"));
    }

    @Test
    void createsWhatIsMissingOnceAndMovesTheSequenceForward() throws Exception {
        YearMonth later = now.plusMonths(5);
        List<String> created = store.createAhead(later, 2);
        assertEquals(12, created.size(), "three months of four tables: " + created);
        assertTrue(created.contains(name("messages", later.plusMonths(2))));
        assertEquals(IdBlocks.firstIdOf(later), db.count("select last_value from messages_id_seq"));
        assertEquals(IdBlocks.firstIdOf(later), db.count("select last_value from receipts_id_seq"));
        assertEquals(List.of(), store.createAhead(later, 2), "idempotent");

        long id = db.count("insert into messages (source, recipient, content, carrier_id, created_at, "
                + "validity_deadline) values ('api', '+447700900001', 'x', 'c1', now(), now()) returning id");
        assertEquals(IdBlocks.firstIdOf(later), id, "the first id of the month's block");
        assertEquals(1, db.count("select count(*) from " + name("messages", later)));

        // The month before (a clock that went back, an instance with a slow clock): nothing made, nothing moved.
        assertEquals(List.of(), store.createAhead(later.minusMonths(1), 2));
        assertEquals(List.of(), store.createAhead(YearMonth.of(2024, 1), 2), "before the converted table's end");
        assertTrue(db.count("select last_value from messages_id_seq") >= IdBlocks.firstIdOf(later), "never back");
        assertFalse(exists(name("messages", later.minusMonths(1))), "no partition below the sequence's block");
        assertNoOverlaps();
    }

    @Test
    void severalInstancesAtOnceMakeEachPartitionOnce() throws Exception {
        YearMonth later = now.plusMonths(7);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Callable<List<String>> run = () -> store.createAhead(later, 3);
                runs.add(pool.submit(run));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : runs) {
                all.addAll(f.get());
            }
            assertEquals(16, all.size(), "four months of four tables, each made by one instance: " + all);
            assertEquals(16, all.stream().distinct().count());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(IdBlocks.firstIdOf(later), db.count("select last_value from messages_id_seq"));
        assertNoOverlaps();
    }

    @Test
    void retentionDropsWholeOldMonthsAndKeepsCountersAndSuppressions() throws Exception {
        exec("insert into campaigns (id, name, content, created_by, created_at, last_modified_by, last_modified_at) "
                + "values (1, 'c', 'x', 'u', now(), 'u', now())");
        insertMonth(1L, "old");
        exec("insert into campaign_counters values (1, 'delivered', 0, 100), (1, 'pending', 1, 3)");
        exec("insert into carrier_counters values ('c1', 'delivered', 0, 103)");
        exec("insert into suppressions values ('+447700900001', 'hard-bounces', now(), 'gateway')");
        exec("insert into bounce_counts values ('+447700900001', 3, 3, 'UNDELIV', 'c1', now())");
        exec("update campaigns set unique_recipients = 7");
        // Fifteen months later: the sequences are in that month's block, and a message is stored there.
        YearMonth later = now.plusMonths(15);
        store.createAhead(later, 2);
        insertMonth(1L, "new");
        String kept = counters();

        List<PartitionStore.Dropped> dropped = store.dropBefore(start(now.plusMonths(1)));
        List<String> names = dropped.stream().map(PartitionStore.Dropped::table).toList();
        assertEquals(List.of(name("message_parts", now), name("messages", now), name("orphan_receipts", now),
                name("receipts", now)), names, "this month, whose end is the cutoff; dependants first");
        for (String n : names) {
            assertFalse(exists(n), n + " dropped as a table, not emptied row by row");
        }
        assertTrue(exists(name("messages", now.plusMonths(1))), "a month that ended after the cutoff stays");
        assertEquals(1, db.count("select count(*) from messages"));
        assertEquals("new", one("select content from messages"));
        assertEquals(1, db.count("select count(*) from receipts"));
        assertEquals(1, db.count("select count(*) from message_parts"));
        assertEquals(kept, counters(), "counters, campaign totals, suppressions and bounce counts survive");
        assertEquals(0, db.count("select count(*) from partitions where name = any(array['"
                + String.join("','", names) + "'])"), "the bookkeeping forgets them");
        assertEquals(List.of(), store.dropBefore(start(now.plusMonths(1))), "nothing left to drop");
    }

    @Test
    void severalInstancesDroppingAtOnceDropEachMonthOnce() throws Exception {
        insertMonth(null, "old");
        YearMonth later = now.plusMonths(15);
        store.createAhead(later, 0);
        Instant cutoff = start(later.minusMonths(1));
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<String> all = new ArrayList<>();
        try {
            List<Future<List<PartitionStore.Dropped>>> runs = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                PartitionStore other = new PartitionStore(db.database().dataSource());
                Callable<List<PartitionStore.Dropped>> run = () -> other.dropBefore(cutoff);
                runs.add(pool.submit(run));
            }
            for (Future<List<PartitionStore.Dropped>> f : runs) {
                f.get().forEach(d -> all.add(d.table()));
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(all.size(), all.stream().distinct().count(), "none dropped twice: " + all);
        // A month another instance held the lock for may have been left for the next run; it finds it.
        store.dropBefore(cutoff).forEach(d -> all.add(d.table()));
        assertEquals(12, all.size(), "this month and the two made ahead, four tables each: " + all);
        assertEquals(0, db.count("select count(*) from messages"));
        assertEquals(0, db.count("select count(*) from partitions where month < date '" + later.atDay(1) + "'"));
    }

    @Test
    void theMonthBeingWrittenIsNeverDroppedWhateverTheCutoff() throws Exception {
        insertMonth(null, "current");
        List<String> names = store.dropBefore(start(now.plusMonths(100))).stream()
                .map(PartitionStore.Dropped::table).toList();
        assertFalse(names.contains(name("messages", now)), names.toString());
        assertEquals(1, db.count("select count(*) from messages"));
        assertTrue(exists("messages_before_partitioning"), "an empty converted table stays: nothing to gain");
    }

    @Test
    void aMonthThatStillHoldsAMessageNotDoneIsKeptUntilItIsDone() throws Exception {
        insertMonth(null, "done");
        long waiting = db.count("insert into messages (source, recipient, content, carrier_id, created_at, "
                + "validity_deadline) values ('api', '+447700900002', 'queued', 'c1', now(), now()) returning id");
        store.createAhead(now.plusMonths(15), 0);
        Instant cutoff = start(now.plusMonths(1));

        for (String state : List.of("dispatch_state = 'queued'", "dispatch_state = 'in_flight'",
                "dispatch_state = 'submitted', tab = 'pending'")) {
            exec("update messages set " + state + " where id = " + waiting);
            List<String> names = store.dropBefore(cutoff).stream().map(PartitionStore.Dropped::table).toList();
            assertFalse(names.contains(name("messages", now)), state + ": " + names);
            assertTrue(exists(name("message_parts", now)), state + ": its parts stay with it");
            assertEquals(2, db.count("select count(*) from " + name("messages", now)));
        }
        exec("update messages set tab = 'soft-bounces', dispatch_state = 'expired' where id = " + waiting);
        List<String> names = store.dropBefore(cutoff).stream().map(PartitionStore.Dropped::table).toList();
        assertTrue(names.contains(name("messages", now)), "done: dropped at the next run: " + names);
        assertFalse(exists(name("messages", now)));
    }

    /** One message with a part, one receipt with an orphan row, in the month the sequences are in. */
    private void insertMonth(Long campaign, String content) throws SQLException {
        long id = db.count("insert into messages (campaign_id, source, recipient, content, carrier_id, "
                + "dispatch_state, tab, created_at, validity_deadline) values (" + campaign + ", 'campaign', "
                + "'+447700900001', '" + content + "', 'c1', 'submitted', 'delivered', now(), now()) returning id");
        exec("insert into message_parts (message_id, part_no, total, carrier_id) values (" + id + ", 1, 1, 'c1')");
        long receipt = db.count("insert into receipts (received_at, carrier_id, command, esm_class, "
                + "receipted_id_raw, receipted_id, intermediate, outcome) values (now(), 'c1', 'deliver_sm', 4, 'x', "
                + "'x', false, 'orphan') returning id");
        exec("insert into orphan_receipts (receipt_id, carrier_id, receipted_id, received_at) values (" + receipt
                + ", 'c1', 'x', now())");
    }

    private String counters() throws SQLException {
        return one("select (select string_agg(campaign_id || tab || shard || '=' || count, ',' order by tab, shard) "
                + "from campaign_counters) || ' ' || (select string_agg(carrier_id || tab || count, ',') "
                + "from carrier_counters) || ' ' || (select string_agg(number || reason, ',') from suppressions) "
                + "|| ' ' || (select string_agg(number || total, ',') from bounce_counts) || ' ' "
                + "|| (select string_agg(name || unique_recipients, ',') from campaigns)");
    }

    private void assertNoOverlaps() throws SQLException {
        assertEquals(0, db.count("select count(*) from partitions a join partitions b on a.parent = b.parent "
                + "and a.name < b.name and coalesce(a.id_from, -1) < b.id_to and coalesce(b.id_from, -1) < a.id_to"));
    }

    private static Instant start(YearMonth m) {
        return m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
    }

    private static String name(String table, YearMonth m) {
        return table + "_" + m.format(DateTimeFormatter.ofPattern("yyyy_MM"));
    }

    private boolean exists(String table) throws SQLException {
        return db.count("select count(*) from pg_class where relname = '" + table + "'") == 1;
    }

    private String one(String sql) throws SQLException {
        try (Connection c = db.database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = db.database().connection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
