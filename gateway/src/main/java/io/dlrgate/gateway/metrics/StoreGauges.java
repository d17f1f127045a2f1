package io.dlrgate.gateway.metrics;

import io.dlrgate.config.Tab;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dlrgate_messages{tab}} and {@code dlrgate_queue_messages{carrier}}: counted by SQL on a thread of their
 * own, never on a scrape and never on a hot path; the gauges read the last figures.
 *
 * <p>The queue count uses the partial {@code messages_queue} index (only what waits), so it stays cheap. The
 * per-tab figures add the maintained campaign counters to a count of single sends only: counting the whole
 * {@code messages} table every few seconds was a parallel scan that took both cores for a moment and showed up
 * as a latency tail in receipt intake. Parallel workers are off for these queries for the same reason. The
 * next refresh still waits {@link #REFRESH_MS} or twenty times as long as the last count took, whichever is
 * longer.
 */
final class StoreGauges implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreGauges.class);
    static final long REFRESH_MS = 5_000;

    private final DataSource ds;
    private final Map<Tab, AtomicLong> tabs = new HashMap<>();
    private final Map<String, AtomicLong> queues = new HashMap<>();
    private final ScheduledExecutorService executor;

    StoreGauges(DataSource ds, MeterRegistry registry, List<String> carriers) {
        this.ds = ds;
        for (Tab t : Tab.values()) {
            AtomicLong v = new AtomicLong();
            tabs.put(t, v);
            Gauge.builder("dlrgate.messages", v, AtomicLong::get).tag("tab", t.slug())
                    .description("Messages in each report tab now (counted in the store every few seconds)")
                    .register(registry);
        }
        for (String c : carriers) {
            AtomicLong v = new AtomicLong();
            queues.put(c, v);
            Gauge.builder("dlrgate.queue.messages", v, AtomicLong::get).tag("carrier", c)
                    .description("Messages waiting in the store to be submitted to the carrier (counted every "
                            + "few seconds)")
                    .register(registry);
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlrgate-metrics-store");
            t.setDaemon(true);
            return t;
        });
    }

    void start() {
        executor.execute(this::refreshAndReschedule);
    }

    /** Counts now (on the caller's thread). */
    void refresh() throws SQLException {
        Map<String, Long> byTab = new HashMap<>();
        Map<String, Long> byCarrier = new HashMap<>();
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
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
                try (ResultSet rs = s.executeQuery("select tab, sum(n) from ("
                        + "select tab, sum(count) as n from campaign_counters group by tab "
                        + "union all select tab, count(*) from messages where campaign_id is null group by tab"
                        + ") t group by tab")) {
                    while (rs.next()) {
                        byTab.put(rs.getString(1), rs.getLong(2));
                    }
                }
                c.commit();
            } finally {
                c.setAutoCommit(true);
            }
        }
        tabs.forEach((t, v) -> v.set(byTab.getOrDefault(t.slug(), 0L)));
        queues.forEach((carrier, v) -> v.set(byCarrier.getOrDefault(carrier, 0L)));
    }

    private void refreshAndReschedule() {
        long t0 = System.nanoTime();
        try {
            refresh();
        } catch (Exception e) {
            log.debug("store gauges not refreshed: {}", e.toString()); // the figures keep their last values
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        try {
            executor.schedule(this::refreshAndReschedule, Math.max(REFRESH_MS, tookMs * 20), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
