package io.dlrgate.reporting.write;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.reporting.retention.IdBlocks;
import io.dlrgate.reporting.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.YearMonth;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The plan of the statement that locks a receipt batch's messages: index probes, never a scan of the messages
 * table, whose cost would grow with every message ever sent. Sequential scans are switched off for the session, so
 * a plan that has no other way (an OR of a key semi-join and an id list) still shows one, however small the table.
 * messages is partitioned by month (V27): the probes are made on each partition's index (the converted table's
 * keep their old names after {@code messages_before_partitioning}, the monthly ones PostgreSQL's generated names).
 */
class LockPlanTest {

    @AutoClose
    static final TestDatabase db = TestDatabase.create();

    @Test
    void aReceiptBatchLocksItsMessagesByIndexNotByScanningTheTable() throws Exception {
        String plan = plan(DeliveryWriter.LOCK_MESSAGES, Long.MIN_VALUE);
        assertFalse(plan.contains("Seq Scan on messages"), plan);
        assertTrue(plan.matches("(?s).*Index Scan using messages_\\w*carrier_message_id\\w* on messages_.*"), plan);
        assertTrue(plan.matches("(?s).*Index Scan (using|on) messages_\\w*_pkey .*"), plan);
    }

    /**
     * With the lowest id a receipt can be for, the months below it are not in the plan at all: neither planned nor
     * probed, however many months retention keeps.
     */
    @Test
    void theMonthsBelowTheLowestIdAreLeftOutOfThePlan() throws Exception {
        String all = plan(DeliveryWriter.LOCK_MESSAGES, Long.MIN_VALUE);
        assertTrue(all.contains("on messages_before_partitioning"), all);
        long thisMonth = IdBlocks.firstIdOf(YearMonth.now(ZoneOffset.UTC));
        String recent = plan(DeliveryWriter.LOCK_MESSAGES, thisMonth);
        assertFalse(recent.contains("messages_before_partitioning"), recent);
        assertTrue(recent.contains(" on messages_" + YearMonth.now(ZoneOffset.UTC).toString().replace('-', '_')),
                recent);
        assertFalse(recent.contains("Seq Scan on messages"), recent);
    }

    private static String plan(String sql, long lowestId) throws Exception {
        try (Connection c = db.database().connection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("set local enable_seqscan = off");
            }
            StringBuilder out = new StringBuilder();
            try (PreparedStatement ps = c.prepareStatement("explain " + sql)) {
                ps.setArray(1, c.createArrayOf("text", new String[] {"c1", "c1"}));
                ps.setArray(2, c.createArrayOf("text", new String[] {"abc1", "abc2"}));
                ps.setLong(3, lowestId);
                ps.setArray(4, c.createArrayOf("int8", new Long[] {7L}));
                ps.setLong(5, lowestId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.append(rs.getString(1)).append('\n');
                    }
                }
            } finally {
                c.rollback();
            }
            return out.toString();
        }
    }
}
