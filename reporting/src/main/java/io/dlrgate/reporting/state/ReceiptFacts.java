package io.dlrgate.reporting.state;

/**
 * The facts of one receipt the state machine decides on. The stat word is kept
 * {@link StatMapping#normalise(String) normalised}; null when the receipt carried none (or only blanks).
 *
 * @param stat         the stat word ({@code DELIVRD}, ...), null if missing
 * @param intermediate whether the carrier flagged it an intermediate notification (esm_class bit 0x20)
 * @param err          the {@code err} field as sent (3 or 4 characters), null if missing; carried for the
 *                     caller's records and for bounce classification, it does not change the decision here
 */
public record ReceiptFacts(String stat, boolean intermediate, String err) {

    public ReceiptFacts {
        stat = StatMapping.normalise(stat);
    }

    /** A final (not intermediate) receipt. */
    public static ReceiptFacts of(String stat, String err) {
        return new ReceiptFacts(stat, false, err);
    }

    /** A final (not intermediate) receipt without err. */
    public static ReceiptFacts of(String stat) {
        return new ReceiptFacts(stat, false, null);
    }

    /** A receipt flagged intermediate notification. */
    public static ReceiptFacts intermediate(String stat) {
        return new ReceiptFacts(stat, true, null);
    }
}
