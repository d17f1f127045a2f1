package io.dlrgate.gateway.metrics;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters.CarrierTab;
import io.dlrgate.reporting.report.StoreFigures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dlrgate_messages{carrier,tab}} and {@code dlrgate_queue_messages{carrier}}: counted in the store
 * ({@link StoreFigures}, which keeps each count cheap) on a thread of their own, never on a scrape and never on a
 * hot path; the gauges read the last figures. The next refresh waits {@link #REFRESH_MS} or twenty times as long
 * as the last count took, whichever is longer.
 *
 * <p>{@code dlrgate_messages} exists at 0 for every configured carrier and tab from the start; a carrier the store
 * knows but the configuration does not (removed since, or {@code unknown}: messages no carrier took, such as invalid
 * numbers) gets its series when its messages are first counted, so the gauge always sums to the store's messages.
 */
final class StoreGauges implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(StoreGauges.class);
    static final long REFRESH_MS = 5_000;

    private final StoreFigures store;
    private final MeterRegistry registry;
    private final Map<CarrierTab, AtomicLong> messages = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> queues = new HashMap<>();
    private final ScheduledExecutorService executor;

    StoreGauges(StoreFigures store, MeterRegistry registry, List<String> carriers) {
        this.store = store;
        this.registry = registry;
        carriers.forEach(this::registerMessagesGauges);
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
        StoreFigures.Figures now = store.read();
        Map<CarrierTab, Long> counted = now.messagesPerCarrierAndTab();
        counted.keySet().forEach(k -> registerMessagesGauges(k.carrierId())); // a carrier seen for the first time
        messages.forEach((k, v) -> v.set(counted.getOrDefault(k, 0L)));
        queues.forEach((carrier, v) -> v.set(now.queuedByCarrier().getOrDefault(carrier, 0L)));
    }

    /** The {@code dlrgate_messages} series of every tab of one carrier ({@code null}: none), unless they exist. */
    private void registerMessagesGauges(String carrierId) {
        for (Tab t : Tab.values()) {
            messages.computeIfAbsent(new CarrierTab(carrierId, t), this::messagesGauge);
        }
    }

    private AtomicLong messagesGauge(CarrierTab k) {
        AtomicLong v = new AtomicLong();
        Gauge.builder("dlrgate.messages", v, AtomicLong::get)
                .tags("carrier", k.carrierId() == null ? MicrometerGatewayMetrics.UNKNOWN_CARRIER : k.carrierId(),
                        "tab", k.tab().slug())
                .description("Messages in each report tab now, per carrier that took them (\"unknown\": no "
                        + "carrier did, e.g. invalid numbers); counted in the store every few seconds")
                .register(registry);
        return v;
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
