package io.dlrgate.gateway.retention;

import io.dlrgate.config.RetentionConfig;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.reporting.retention.PartitionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The monthly partitions of messages and receipts, kept by every gateway instance: at start and then every
 * {@link #EVERY}, it creates this month's partitions and {@code retention.partitions_ahead} more (moving the id
 * sequences into this month's block when the month began), and drops the months older than
 * {@code retention.messages}. "Now" is the injected clock's, in UTC. Several instances run it at once safely: the
 * store serialises the runs, and each finds what another did.
 *
 * <p>A failed run (database away, a table lock not had within the store's timeout) is logged and tried again at
 * the next: partitions exist months ahead, and a drop can wait an hour.
 */
public final class PartitionMaintenance implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PartitionMaintenance.class);
    /** How often partitions are checked: well within a month, and soon after a month begins. */
    public static final Duration EVERY = Duration.ofHours(1);

    private final PartitionStore store;
    private final RetentionConfig config;
    private final Clock clock;
    private final GatewayMetrics metrics;
    private final ScheduledExecutorService executor;

    public PartitionMaintenance(PartitionStore store, RetentionConfig config, Clock clock, GatewayMetrics metrics) {
        this.store = Objects.requireNonNull(store, "store");
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlrgate-partitions");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs once now, on its own thread (the start does not wait for a table lock), then every {@link #EVERY}. */
    public void start() {
        executor.scheduleWithFixedDelay(this::runSafely, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        log.info("partition maintenance every {}: {} months ahead, retention {}", EVERY, config.partitionsAhead(),
                config.messagesRetention().map(d -> d.toDays() + "d").orElse("off"));
    }

    /** One run: creates what is missing, then drops what retention allows. Throws what the store throws. */
    public void runOnce() throws Exception {
        Instant now = clock.instant();
        List<String> created = store.createAhead(YearMonth.from(now.atZone(ZoneOffset.UTC)),
                config.partitionsAhead());
        if (!created.isEmpty()) {
            log.info("created partitions {}", created);
        }
        if (config.messagesRetention().isEmpty()) {
            return;
        }
        Instant cutoff = now.minus(config.messagesRetention().get());
        for (PartitionStore.Dropped d : store.dropBefore(cutoff)) {
            metrics.partitionDropped(d.parent());
            log.info("retention: dropped {} ({} of {}; everything in it older than {})", d.table(),
                    d.month() == null ? "the rows from before partitioning" : d.month().toString(), d.parent(),
                    cutoff);
        }
    }

    private void runSafely() {
        try {
            runOnce();
        } catch (Exception e) {
            // Never let it escape: a ScheduledExecutorService silently stops a task that throws.
            log.warn("partition maintenance failed (retrying in {}): {}", EVERY, e.toString());
        }
    }

    @Override
    public void close() throws InterruptedException {
        executor.shutdownNow();
        if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
            log.warn("partition maintenance did not stop within 10 s");
        }
    }
}
