package io.dlrgate.reporting.write;

import io.dlrgate.config.Tab;
import java.time.Instant;

/**
 * What storing one receipt did.
 *
 * @param messageId the message it was applied to, or {@code null} for an orphan
 * @param result    {@code orphan}, or the state machine's reason label ({@code applied}, {@code duplicate}, ...)
 * @param tabBefore the message's tab before, {@code null} for an orphan
 * @param tabAfter  the message's tab after, {@code null} for an orphan
 * @param sentAt    when the message was submitted ({@code sent_at}), {@code null} for an orphan or when unknown
 * @param decidedAt when the receipt was applied to the message (the batch's time), {@code null} for an orphan
 */
public record ReceiptOutcome(Long messageId, String result, Tab tabBefore, Tab tabAfter, String carrierId,
                             String stat, Instant sentAt, Instant decidedAt) {

    public static final String ORPHAN = "orphan";

    public ReceiptOutcome(Long messageId, String result, Tab tabBefore, Tab tabAfter, String carrierId, String stat) {
        this(messageId, result, tabBefore, tabAfter, carrierId, stat, null, null);
    }

    /** This receipt moved its message into a final tab (what "time to final receipt" measures). */
    public boolean madeFinal() {
        return tabAfter != null && tabAfter.isFinal() && tabBefore != tabAfter;
    }

    public boolean orphan() {
        return messageId == null;
    }

    public boolean changedTab() {
        return tabBefore != null && tabBefore != tabAfter;
    }
}
