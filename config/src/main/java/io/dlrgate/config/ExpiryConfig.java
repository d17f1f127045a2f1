package io.dlrgate.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The gateway's own validity-period expiry: Pending messages whose validity deadline plus {@code grace} has passed
 * are moved to Soft bounces (stat {@code EXPIRED}) by a sweeper.
 *
 * @param grace         how long past a message's validity deadline the gateway waits for a receipt before it
 *                      expires the message itself (zero allowed)
 * @param sweepInterval how often the sweeper looks for messages to expire
 * @param batchSize     messages expired per transaction at most
 * @param lateReceipts  what a receipt does that arrives after the gateway expired its message
 */
public record ExpiryConfig(Duration grace, Duration sweepInterval, int batchSize, LateReceipts lateReceipts) {

    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(10);
    public static final int DEFAULT_BATCH_SIZE = 20_000;

    public ExpiryConfig {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        Objects.requireNonNull(lateReceipts, "lateReceipts");
    }

    /** Every key at its default. */
    public static ExpiryConfig defaults() {
        return new ExpiryConfig(DEFAULT_GRACE, DEFAULT_SWEEP_INTERVAL, DEFAULT_BATCH_SIZE, LateReceipts.DELIVERED_WINS);
    }

    /** {@code expiry.late_receipts}: receipts for messages the gateway already expired. */
    public enum LateReceipts {
        /** A late DELIVRD (a final stat mapped to Delivered) moves the message to Delivered; anything else is counted only. */
        DELIVERED_WINS,
        /** Late receipts are counted and change nothing. */
        IGNORE;

        /** The value as written in the file: {@code delivered_wins}, {@code ignore}. */
        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
