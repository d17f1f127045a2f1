package io.dlrgate.reporting.report;

import io.dlrgate.reporting.counters.ReportCounters;
import io.dlrgate.reporting.counters.ReportCounters.CarrierTab;
import io.dlrgate.reporting.db.StoreErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The store-wide figures the gateway's gauges show: messages per carrier and tab and messages waiting per carrier.
 * Read by a background thread every few seconds, so each read must stay cheap however large the store grows: the
 * queue count walks the partial {@code messages_queue} index (only what waits), and the per-carrier, per-tab figures
 * are the maintained counters ({@link ReportCounters#messagesPerCarrierAndTab}); counting the whole {@code messages}
 * table was a parallel scan that took both cores for a moment and showed up as a latency tail in receipt intake.
 * Parallel workers are off for these queries for the same reason.
 */
public final class StoreFigures {

    /**
     * @param messagesPerCarrierAndTab only the pairs that hold messages; carrier {@code null}: the messages no carrier
     *                                 took (numbers filed at the door as invalid or without a route)
     * @param queuedByCarrier          only carriers with something queued
     */
    public record Figures(Map<CarrierTab, Long> messagesPerCarrierAndTab, Map<String, Long> queuedByCarrier) {
    }

    private final DataSource ds;

    public StoreFigures(DataSource ds) {
        this.ds = ds;
    }

    /** Counts now, on the caller's thread, in one read-only transaction. */
    public Figures read() throws SQLException {
        Map<String, Long> byCarrier = new HashMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            c.setReadOnly(true); // a figure never writes: PostgreSQL refuses it if one ever tries
            try {
                // A background figure must not take every core: no parallel workers (SET LOCAL: this
                // transaction only, the pooled connection keeps its settings).
                s.execute("set local max_parallel_workers_per_gather = 0");
                try (ResultSet rs = s.executeQuery("select carrier_id, count(*) from messages "
                        + "where dispatch_state = 'queued' group by carrier_id")) {
                    while (rs.next()) {
                        byCarrier.put(rs.getString(1), rs.getLong(2));
                    }
                }
                Map<CarrierTab, Long> byCarrierAndTab = ReportCounters.messagesPerCarrierAndTab(c);
                c.commit();
                return new Figures(byCarrierAndTab, byCarrier);
            } catch (SQLException | RuntimeException e) {
                // Ended before the settings are put back: a transaction in progress keeps its read-only property.
                StoreErrors.rollBackAfter(c, e);
                throw e;
            } finally {
                // The pooled connection goes back as it came: read-write, autocommit.
                c.setReadOnly(false);
                c.setAutoCommit(true);
            }
        }
    }
}
