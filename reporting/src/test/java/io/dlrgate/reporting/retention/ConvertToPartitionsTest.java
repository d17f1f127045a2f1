package io.dlrgate.reporting.retention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * V26/V27 on a store filled by the schema before them (V25) with 1,000,000 messages: nothing lost, every count and
 * id sum the same, the old tables now the first partitions, new rows in this month's partitions; and retention drops
 * the converted table only once its newest row (recorded by the migration) is older than the cutoff.
 */
class ConvertToPartitionsTest {

    private static final int MESSAGES = 1_000_000;
    private static final String T0 = "timestamptz '2025-01-01 00:00:00+00'";
    /** What must not change: each query's rows, as text. */
    private static final List<String> FIGURES = List.of(
            "select count(*), sum(id) from messages",
            "select campaign_id, tab, count(*), sum(id) from messages group by 1, 2 order by 1, 2",
            "select carrier_id, dispatch_state, count(*) from messages group by 1, 2 order by 1, 2",
            "select count(*), sum(message_id), sum(part_no) from message_parts",
            "select count(*), sum(id), sum(message_id), count(distinct outcome) from receipts",
            "select count(*), sum(receipt_id), count(matched_at) from orphan_receipts",
            "select count(*), max(created_at)::text, min(created_at)::text from messages",
            "select count(*), sum(count) from campaign_counters",
            "select count(*) from suppressions",
            "select count(*) from skipped_single_sends");

    private static String admin;
    private static String name;
    private static String url;
    private static PGSimpleDataSource ds;

    @BeforeAll
    static void createDatabase() throws SQLException {
        admin = TestDatabase.adminUrl();
        name = "dlrgate_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        exec(admin, "create database " + name);
        url = TestDatabase.withDatabase(admin, name);
        ds = new PGSimpleDataSource();
        ds.setURL(url);
    }

    @AfterAll
    static void dropDatabase() throws SQLException {
        exec(admin, "drop database if exists " + name + " with (force)");
    }

    @Test
    void aMillionMessagesConvertWithNothingLost() throws Exception {
        flyway("25").migrate();
        fill();
        List<String> before = figures();

        long started = System.nanoTime();
        flyway(null).migrate();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("V26+V27 on %,d messages, %,d receipts: %,d ms%n", MESSAGES, MESSAGES / 2, millis);

        assertEquals(before, figures(), "every count and id sum as before the migration");
        for (String t : List.of("messages", "message_parts", "receipts", "orphan_receipts")) {
            assertEquals(t, one("select pg_partition_root('" + t + "_before_partitioning')::text"),
                    "the old " + t + " is a partition of the new one");
            assertEquals("t", one("select relispartition from pg_class where relname = '" + t
                    + "_before_partitioning'"));
        }
        assertEquals("0", one("select count(*) from pg_index i join pg_class c on c.oid = i.indexrelid "
                + "where i.indrelid = 'messages_before_partitioning'::regclass and not c.relispartition"),
                "every index of the old table attached to the new table's, none left over or rebuilt");

        String month = YearMonth.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy_MM"));
        String inserted = one("insert into messages (campaign_id, source, recipient, content, carrier_id, created_at, "
                + "validity_deadline) values (1, 'campaign', '+447700900000', 'after', 'c1', now(), now()) "
                + "returning tableoid::regclass::text || ' ' || id");
        String[] placeAndId = inserted.split(" ");
        assertEquals("messages_" + month, placeAndId[0], "a message stored after the migration: this month's");
        assertEquals("message_parts_" + month, one("insert into message_parts (message_id, part_no, total, "
                + "carrier_id) values (" + placeAndId[1] + ", 1, 1, 'c1') returning tableoid::regclass::text"));
        assertEquals("receipts_" + month, one("insert into receipts (received_at, carrier_id, command, esm_class, "
                + "receipted_id_raw, receipted_id, intermediate, outcome) values (now(), 'c1', 'deliver_sm', 4, "
                + "'x', 'x', false, 'orphan') returning tableoid::regclass::text"));
        assertTrue(Long.parseLong(placeAndId[1]) < (1L << 53), "ids stay exact in JavaScript");

        // Retention reads the converted table's age from the bookkeeping: the receipts' newest row is older than
        // the messages' newest, which is 2025-01-12T13:46:40Z.
        Instant newest = Instant.parse("2025-01-12T13:46:40Z");
        PartitionStore store = new PartitionStore(ds);
        List<String> dropped = new ArrayList<>();
        store.dropBefore(newest).forEach(d -> dropped.add(d.table()));
        assertEquals(List.of("orphan_receipts_before_partitioning", "receipts_before_partitioning"), dropped);
        assertEquals(String.valueOf(MESSAGES + 1), one("select count(*) from messages"),
                "the messages' newest row is not older than the cutoff: kept");
        dropped.clear();
        // A fifth of the old messages still wait for their receipt: the month is kept while any does.
        assertEquals(List.of(), store.dropBefore(newest.plusSeconds(1)), "pending messages keep their month");
        one("with done as (update messages set tab = 'deleted' where tab = 'pending' and id < " + placeAndId[1]
                + " returning 1) select count(*) from done");
        store.dropBefore(newest.plusSeconds(1)).forEach(d -> dropped.add(d.table()));
        assertEquals(List.of("message_parts_before_partitioning", "messages_before_partitioning"), dropped);
        assertEquals("1", one("select count(*) from messages"), "only the message stored after the migration");
        assertFalse(exists("messages_before_partitioning"), "dropped as a table, not emptied row by row");
        assertEquals(before.get(7), figures().get(7), "campaign counters survive retention");
        assertEquals(before.get(8), figures().get(8), "the suppressed list survives retention");
        assertEquals("nextval('messages_id_seq'::regclass)", one("select pg_get_expr(adbin, adrelid) from "
                + "pg_attrdef where adrelid = 'skipped_single_sends'::regclass"), "the sequence outlives the old table");
    }

    private static Flyway flyway(String target) {
        var config = Flyway.configure().dataSource(ds).locations("classpath:db/migration");
        return (target == null ? config : config.target(target)).load();
    }

    /** The store as V25 left it, filled the way the gateway fills it; generate_series keeps it to seconds. */
    private static void fill() throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            s.execute("insert into campaigns (name, content, created_by, created_at, last_modified_by, "
                    + "last_modified_at) select 'campaign ' || g, 'hello', 'u', " + T0 + ", 'u', " + T0
                    + " from generate_series(1, 20) g");
            s.execute("insert into campaign_sends (campaign_id, sent_by, sent_at, requested, queued, "
                    + "skipped_suppressed, rejected) select id, 'u', " + T0 + ", 50000, 50000, 0, 0 from campaigns");
            // Every tenth message a single send; the tabs spread over every campaign.
            s.execute("insert into messages (campaign_id, campaign_send_id, source, recipient, country, content, "
                    + "carrier_id, dispatch_state, carrier_message_id, tab, created_at, sent_at, validity_deadline) "
                    + "select case when g % 10 = 0 then null else 1 + g % 20 end, "
                    + "case when g % 10 = 0 then null else 1 + g % 20 end, "
                    + "case when g % 10 = 0 then 'api' else 'campaign' end, '+4477009' || lpad(g::text, 7, '0'), "
                    + "'GB', 'hello', 'c' || (g % 3), 'submitted', 'm' || g, "
                    + "(array['delivered', 'pending', 'soft-bounces', 'hard-bounces', 'deleted'])[1 + (g / 7) % 5], "
                    + T0 + " + g * interval '1 second', " + T0 + " + g * interval '1 second', "
                    + T0 + " + interval '60 days' from generate_series(1, " + MESSAGES + ") g");
            s.execute("insert into message_parts (message_id, part_no, total, carrier_id, carrier_message_id) "
                    + "select g * 20, p, 2, 'c' || (g * 20 % 3), 'p' || g || '.' || p "
                    + "from generate_series(1, 50000) g, generate_series(1, 2) p");
            s.execute("insert into receipts (received_at, carrier_id, command, esm_class, receipted_id_raw, "
                    + "receipted_id, stat, intermediate, message_id, outcome) select " + T0
                    + " + g * interval '1 second', 'c' || (g * 2 % 3), 'deliver_sm', 4, 'm' || g * 2, 'm' || g * 2, "
                    + "'DELIVRD', false, g * 2, case when g % 50 = 0 then 'orphan' else 'applied' end "
                    + "from generate_series(1, " + MESSAGES / 2 + ") g");
            s.execute("insert into orphan_receipts (receipt_id, carrier_id, receipted_id, received_at, matched_at, "
                    + "message_id) select id, carrier_id, receipted_id, received_at, "
                    + "case when id % 100 = 0 then received_at end, case when id % 100 = 0 then message_id end "
                    + "from receipts where outcome = 'orphan'");
            s.execute("insert into campaign_counters (campaign_id, tab, shard, count) select campaign_id, tab, 0, "
                    + "count(*) from messages where campaign_id is not null group by campaign_id, tab");
            s.execute("insert into suppressions (number, reason, created_at, created_by) select '+4477009' || "
                    + "lpad(g::text, 7, '0'), 'hard-bounces', " + T0 + ", 'gateway' from generate_series(1, 1000) g");
            s.execute("insert into skipped_single_sends (source, recipient, content, created_at) "
                    + "select 'api', '+447700900001', 'hello', " + T0 + " from generate_series(1, 10)");
            s.execute("analyze");
        }
    }

    private static List<String> figures() throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            for (String q : FIGURES) {
                StringBuilder b = new StringBuilder();
                try (ResultSet rs = s.executeQuery(q)) {
                    int n = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= n; i++) {
                            b.append(rs.getString(i)).append(i < n ? "," : "\n");
                        }
                    }
                }
                out.add(q + "\n" + b);
            }
        }
        return out;
    }

    private static String one(String sql) throws SQLException {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static boolean exists(String table) throws SQLException {
        return one("select to_regclass('" + table + "') is not null").equals("t");
    }

    private static void exec(String jdbcUrl, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(jdbcUrl); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
