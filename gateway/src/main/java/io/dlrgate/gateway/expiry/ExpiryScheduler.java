package io.dlrgate.gateway.expiry;

import io.dlrgate.config.ExpiryConfig;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.reporting.expiry.ExpirySweeper;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the {@link ExpirySweeper} on its own thread every {@code expiry.sweep_interval}, with "now" from the injected
 * clock (so tests move through days by moving the clock, not by sleeping). A failed sweep (database away) is logged
 * and retried at the next interval: nothing is lost, since the messages are still Pending and still due.
 *
 * <p>Every gateway process runs one; sweepers on a shared database split the work without expiring a message twice.
 */
public final class ExpiryScheduler implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ExpiryScheduler.class);

    private final ExpirySweeper sweeper;
    private final Clock clock;
    private final long intervalMillis;
    private final ScheduledExecutorService executor;
    private final AtomicLong sweeps = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final GatewayMetrics metrics;

    public ExpiryScheduler(ExpirySweeper sweeper, ExpiryConfig config, Clock clock, GatewayMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.intervalMillis = Math.max(1, config.sweepInterval().toMillis());
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlrgate-expiry");
            t.setDaemon(true);
            return t;
        });
    }

    public void start() {
        executor.scheduleWithFixedDelay(this::sweep, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
        log.info("expiry sweeper every {} ms, grace {}, batches of {}", intervalMillis, sweeper.grace(),
                sweeper.batchSize());
    }

    private void sweep() {
        Instant now = clock.instant();
        Map<String, Integer> perCarrier = new TreeMap<>();
        try {
            // Counted per committed batch, so a later batch failing does not hide expiries already stored.
            int n = sweeper.sweepOnce(now, batch -> batch.forEach(e -> {
                perCarrier.merge(e.carrierId(), 1, Integer::sum);
                metrics.expired(e.carrierId());
            }));
            expired.addAndGet(n);
            if (n > 0) {
                log.info("expired {} messages past their validity period (+ grace): {}", n, perCarrier);
            }
        } catch (Exception e) {
            // Counted on the next line of the log; the next run tries again. Never let the exception escape: a
            // ScheduledExecutorService silently stops a task that throws.
            failures.incrementAndGet();
            log.warn("expiry sweep failed (retrying in {} ms): {}", intervalMillis, e.toString());
        } finally {
            sweeps.incrementAndGet();
        }
    }

    /** Sweeps finished (successful or not) since start. */
    public long completedSweeps() {
        return sweeps.get();
    }

    /** Sweeps that failed since start. */
    public long failedSweeps() {
        return failures.get();
    }

    /** Messages this process expired since start. */
    public long expiredMessages() {
        return expired.get();
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("expiry sweeper did not stop within 10 s");
        }
    }
}
