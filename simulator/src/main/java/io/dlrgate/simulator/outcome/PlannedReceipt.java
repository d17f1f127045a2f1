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
 * @param kind          {@link Kind#RECEIPT} for the message's own receipt; {@link Kind#REPLY} the recipient's answer;
 *                      the other kinds are faults sent next to it
 * @param text          a reply's text (null for every other kind)
 */
public record PlannedReceipt(Stat stat, String err, long delayMillis, boolean intermediate, Kind kind, String text) {

    /** What is sent. Only {@link #RECEIPT} says anything about the message; the others are noise it must survive. */
    public enum Kind {
        /** the message's receipt, with its id */
        RECEIPT,
        /** a well-formed receipt for an id this carrier never issued (the gateway keeps it as an orphan) */
        UNKNOWN_ID,
        /** a receipt with no id at all, in the text or a TLV (the gateway refuses it, keeping the session) */
        MALFORMED_NO_ID,
        /** a deliver_sm marked as a receipt whose text is not a receipt */
        MALFORMED_TEXT,
        /** a deliver_sm that is neither a receipt nor a reply (esm_class 0x08: an SME delivery acknowledgement) */
        NOT_A_RECEIPT,
        /** the recipient's reply (a mobile-originated deliver_sm, esm_class 0), sent after the message's receipts */
        REPLY;

        /** Says nothing about the message's tab: every kind but {@link #RECEIPT}. */
        public boolean isNoise() {
            return this != RECEIPT;
        }

        /** A fault the gateway must survive (refuse, or keep as an orphan): not a receipt, not a reply. */
        public boolean isFault() {
            return this != RECEIPT && this != REPLY;
        }
    }

    public PlannedReceipt(Stat stat, String err, long delayMillis, boolean intermediate, Kind kind) {
        this(stat, err, delayMillis, intermediate, kind, null);
    }

    /** The recipient's reply, {@code delayMillis} after the submit_sm_resp (and after the receipts before it). */
    public static PlannedReceipt reply(String text, long delayMillis) {
        return new PlannedReceipt(Stat.DELIVRD, Stat.DELIVRD.defaultErr(), delayMillis, false, Kind.REPLY,
                Objects.requireNonNull(text, "text"));
    }

    public PlannedReceipt(Stat stat, String err, long delayMillis, boolean intermediate) {
        this(stat, err, delayMillis, intermediate, Kind.RECEIPT);
    }

    public PlannedReceipt {
        Objects.requireNonNull(stat, "stat");
        Objects.requireNonNull(err, "err");
        Objects.requireNonNull(kind, "kind");
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delayMillis must be >= 0, got " + delayMillis);
        }
    }

    /** A receipt with the stat's default err. */
    public static PlannedReceipt of(Stat stat, long delayMillis, boolean intermediate) {
        return new PlannedReceipt(stat, stat.defaultErr(), delayMillis, intermediate);
    }
}
