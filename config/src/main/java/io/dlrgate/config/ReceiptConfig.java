package io.dlrgate.config;

import java.time.Duration;
import java.util.Map;

/**
 * Receipt intake and the default mapping of receipt stat words to report tabs.
 *
 * @param batchSize     receipts written per transaction at most (group commit)
 * @param maxBatchDelay how long the committer waits to fill a batch once it holds one receipt
 * @param maxQueueWait  a receipt not committed within this is answered with the carrier's temporary error
 * @param queueCapacity receipts waiting at most; beyond it new receipts are answered with the temporary error
 * @param orphanMaxAge  orphans (receipts for ids not known yet) older than this are reported
 * @param statMapping   stat word (upper case) to tab; stats not listed stay Pending
 */
public record ReceiptConfig(
        int batchSize,
        Duration maxBatchDelay,
        Duration maxQueueWait,
        int queueCapacity,
        Duration orphanMaxAge,
        Map<String, Tab> statMapping) {

    public ReceiptConfig {
        statMapping = Map.copyOf(statMapping);
    }

    /** The mapping shipped by default, as in the product being simulated. */
    public static Map<String, Tab> defaultStatMapping() {
        return Map.of(
                "DELIVRD", Tab.DELIVERED,
                "ENROUTE", Tab.PENDING,
                "ACCEPTD", Tab.PENDING,
                "UNKNOWN", Tab.PENDING,
                "EXPIRED", Tab.SOFT_BOUNCES,
                "UNDELIV", Tab.HARD_BOUNCES,
                "REJECTD", Tab.HARD_BOUNCES,
                "SKIPPED", Tab.HARD_BOUNCES,
                "DELETED", Tab.DELETED);
    }
}
