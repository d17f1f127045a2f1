package io.dlrgate.config;

import io.dlrgate.config.yaml.Durations;

import java.time.Duration;
import java.util.List;

/** Reads {@code expiry}: when Pending messages past their validity become soft bounces. */
final class ExpirySectionReader {
    static final List<String> KEYS = List.of("grace", "sweep_interval", "batch_size", "late_receipts");

    private final ReadContext ctx;

    ExpirySectionReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    ExpiryConfig read(ConfigSection s) {
        Duration grace = s.duration("grace", ExpiryConfig.DEFAULT_GRACE, true);
        if (grace.compareTo(Duration.ofDays(7)) > 0) {
            ctx.problem(s.keyPath("grace"), s.lineOf("grace"), "must be at most 7d, got " + Durations.format(grace));
            grace = ExpiryConfig.DEFAULT_GRACE;
        }
        Duration interval = s.duration("sweep_interval", ExpiryConfig.DEFAULT_SWEEP_INTERVAL);
        if (interval.compareTo(Duration.ofMillis(100)) < 0 || interval.compareTo(Duration.ofHours(1)) > 0) {
            ctx.problem(s.keyPath("sweep_interval"), s.lineOf("sweep_interval"),
                    "must be between 100ms and 1h, got " + Durations.format(interval));
            interval = ExpiryConfig.DEFAULT_SWEEP_INTERVAL;
        }
        int batchSize = s.integer("batch_size", ExpiryConfig.DEFAULT_BATCH_SIZE, 1, 100_000);
        ExpiryConfig.LateReceipts late = s.enumValue("late_receipts", ExpiryConfig.LateReceipts.DELIVERED_WINS,
                ExpiryConfig.LateReceipts.values(), ExpiryConfig.LateReceipts::configName);
        s.checkUnknownKeys();
        return new ExpiryConfig(grace, interval, batchSize, late);
    }
}
