package io.dlrgate.reporting.receipt;

import io.dlrgate.config.Tab;

/**
 * What storing one receipt did.
 *
 * @param messageId the message it was applied to, or {@code null} for an orphan
 * @param result    {@code orphan}, or the state machine's reason label ({@code applied}, {@code duplicate}, ...)
 * @param tabBefore the message's tab before, {@code null} for an orphan
 * @param tabAfter  the message's tab after, {@code null} for an orphan
 */
public record ReceiptOutcome(Long messageId, String result, Tab tabBefore, Tab tabAfter, String carrierId,
                             String stat) {

    public static final String ORPHAN = "orphan";

    public boolean orphan() {
        return messageId == null;
    }

    public boolean changedTab() {
        return tabBefore != null && tabBefore != tabAfter;
    }
}
