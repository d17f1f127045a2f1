package io.dlrgate.reporting.state;

import io.dlrgate.config.Tab;

import java.util.Objects;

/**
 * The outcome of one decision: the state after it, whether anything changed (apply it, or only log and count
 * it), why, and whether the receipt arrived after the gateway's own expiry (for the late-receipt counter, whatever
 * the reason).
 *
 * @param next            the message state after the receipt (equal to the current one when nothing changed)
 * @param changed         whether {@code next} differs from the current state; false means: store nothing
 * @param reason          why
 * @param lateAfterExpiry the message had been expired by the gateway when the receipt arrived
 */
public record Transition(MessageState next, boolean changed, TransitionReason reason, boolean lateAfterExpiry) {

    public Transition {
        Objects.requireNonNull(next, "next");
        Objects.requireNonNull(reason, "reason");
        if (reason.changes() != null && reason.changes() != changed) {
            throw new IllegalArgumentException("reason " + reason + " with changed=" + changed);
        }
    }

    /** The tab after the receipt. */
    public Tab tab() {
        return next.tab();
    }

    /** The last stat after the receipt. */
    public String lastStat() {
        return next.lastStat();
    }

    /** Who made the message final, after the receipt. */
    public FinalBy finalBy() {
        return next.finalBy();
    }
}
