package io.dlrgate.simulator.outcome;

import java.util.Objects;

/**
 * One receipt a carrier decided to send for a submit: which stat, which err, how long after the
 * submit_sm_resp, and whether it is an intermediate notification (ENROUTE before the final).
 *
 * @param stat          the stat token
 * @param err           the err field (3 characters by default; kept as a string)
 * @param delayMillis   delay after the submit_sm_resp was written
 * @param intermediate  true for an intermediate notification (esm_class from the dialect's intermediate value)
 */
public record PlannedReceipt(Stat stat, String err, long delayMillis, boolean intermediate) {
    public PlannedReceipt {
        Objects.requireNonNull(stat, "stat");
        Objects.requireNonNull(err, "err");
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must be >= 0, got " + delayMillis);
        }
    }

    /** A receipt with the stat's default err. */
    public static PlannedReceipt of(Stat stat, long delayMillis, boolean intermediate) {
        return new PlannedReceipt(stat, stat.defaultErr(), delayMillis, intermediate);
    }
}
