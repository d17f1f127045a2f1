package io.dlrgate.gateway.receipt;

import io.dlrgate.reporting.receipt.OrphanStore;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports orphan receipts older than {@code receipts.orphan_max_age}: a warning with their count and a few
 * examples, once per interval while any exist. They stay in the store for inspection; nothing is dropped.
 */
public final class OrphanReporter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OrphanReporter.class);
    private static final int EXAMPLES = 5;

    private final OrphanStore store;
    private final Duration maxAge;
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final AtomicLong lastCount = new AtomicLong();

    public OrphanReporter(OrphanStore store, Duration maxAge, Clock clock) {
        this.store = store;
        this.maxAge = maxAge;
        this.clock = clock;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlrgate-orphan-report");
            t.setDaemon(true);
            return t;
        });
    }

    public void start(Duration every) {
        timer.scheduleWithFixedDelay(this::reportSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Open orphans older than the max age at the last check. */
    public long lastCount() {
        return lastCount.get();
    }

    /** One check: counts old orphans and logs them. Returns the count. */
    public long report() throws Exception {
        java.time.Instant cutoff = clock.instant().minus(maxAge);
        long n = store.countOpenOlderThan(cutoff);
        lastCount.set(n);
        if (n > 0) {
            List<OrphanStore.Orphan> examples = store.openOlderThan(cutoff, 0, EXAMPLES);
            log.warn("{} receipts for unknown message ids are older than {} and still unmatched (kept in "
                    + "orphan_receipts; examples: {})", n, maxAge, examples.stream()
                    .map(o -> o.carrierId() + "/" + o.receiptedIdRaw() + " " + o.stat() + " at " + o.receivedAt())
                    .toList());
        }
        return n;
    }

    private void reportSafely() {
        try {
            report();
        } catch (Exception e) {
            log.warn("orphan report failed: {}", e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
