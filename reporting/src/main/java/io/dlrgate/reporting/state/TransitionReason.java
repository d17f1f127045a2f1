package io.dlrgate.reporting.state;

import java.util.Locale;

/**
 * Why the state machine decided what it did; a bounded set, fit for a metrics label ({@link #label()}).
 */
public enum TransitionReason {
    /** The receipt was applied: a Pending message took its tab (final or still Pending) and its stat. */
    APPLIED(true),
    /** The same stat the message already carries, mapping to the tab it is in: nothing to do. */
    DUPLICATE(false),
    /** A Pending-tab stat or an intermediate-flagged receipt for a message already final: never moves it back. */
    INTERMEDIATE_AFTER_FINAL(false),
    /** A different final receipt for a message a receipt already made final: finals are absorbing. */
    FINAL_AFTER_FINAL_IGNORED(false),
    /**
     * A receipt flagged intermediate whose stat maps to a final tab, for a Pending message: contradictory, so
     * the message stays as it is (an intermediate notification never makes a message final).
     */
    INTERMEDIATE_WITH_FINAL_STAT(false),
    /**
     * A stat word the mapping does not list. A Pending message stays Pending and records the word as its last
     * stat (changed only if the word differs from the last); a final message is not touched.
     */
    UNKNOWN_STAT(null),
    /** The receipt carried no stat word at all: nothing to decide on, nothing changes. */
    NO_STAT(false),
    /** After the gateway's own expiry, a late receipt the policy lets through (late DELIVRD under DELIVERED_WINS). */
    LATE_AFTER_EXPIRY_APPLIED(true),
    /** After the gateway's own expiry, a late receipt counted but not applied. */
    LATE_AFTER_EXPIRY_IGNORED(false),
    /** {@link DeliveryStateMachine#expire}: a Pending message moved to Soft bounces by the gateway. */
    EXPIRED_BY_GATEWAY(true),
    /** {@link DeliveryStateMachine#expire}: the message was already final; expiry changes nothing. */
    EXPIRY_AFTER_FINAL_IGNORED(false);

    private final Boolean changes;

    TransitionReason(Boolean changes) {
        this.changes = changes;
    }

    /**
     * Whether a transition with this reason always changes the state ({@code TRUE}), never does ({@code FALSE}),
     * or may ({@code null}, only {@link #UNKNOWN_STAT}).
     */
    public Boolean changes() {
        return changes;
    }

    /** Lower-case label for metrics and logs: {@code late_after_expiry_applied}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
