package io.dlrgate.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code receipts}: the receipt write path (batches, queue) and the stat-to-tab mapping. */
final class ReceiptsSectionReader {
    static final List<String> KEYS = List.of("batch_size", "max_batch_delay", "max_queue_wait",
            "queue_capacity", "orphan_max_age", "stat_mapping");

    private final ReadContext ctx;
    private final StatMappingReader statMappings;

    ReceiptsSectionReader(ReadContext ctx) {
        this.ctx = ctx;
        this.statMappings = new StatMappingReader(ctx);
    }

    ReceiptConfig read(ConfigSection s) {
        int batchSize = s.integer("batch_size", 500, 1, 100_000);
        Duration maxBatchDelay = s.duration("max_batch_delay", Duration.ofMillis(5));
        Duration maxQueueWait = s.duration("max_queue_wait", Duration.ofSeconds(2));
        int queueCapacity = s.integer("queue_capacity", 100_000, 1, 10_000_000);
        if (s.has("queue_capacity") || s.has("batch_size")) {
            if (queueCapacity < batchSize) {
                String key = s.has("queue_capacity") ? "queue_capacity" : "batch_size";
                ctx.problem(s.keyPath(key), s.lineOf(key), "receipts.queue_capacity (" + queueCapacity
                        + ") must be at least receipts.batch_size (" + batchSize + ")");
            }
        }
        Duration orphanMaxAge = s.duration("orphan_max_age", Duration.ofHours(24));
        Map<String, Tab> mapping = new HashMap<>(ReceiptConfig.defaultStatMapping());
        mapping.putAll(statMappings.read(s, "stat_mapping"));
        s.checkUnknownKeys();
        return new ReceiptConfig(batchSize, maxBatchDelay, maxQueueWait, queueCapacity, orphanMaxAge, mapping);
    }
}
