package io.dlrgate.simulator.receipt;

import io.dlrgate.simulator.outcome.Stat;
import java.time.Instant;
import java.util.Objects;

/**
 * The facts of one receipt, before any dialect is applied.
 *
 * @param messageId    the id as issued in the submit_sm_resp
 * @param numericId    the same id as an unsigned 64-bit number when it has one (decimal, hex, zero-padded ids), else null
 * @param handset      the number the message went to: source_addr of the receipt
 * @param sender       the original source_addr: destination_addr of the receipt
 * @param submitDate   when the carrier accepted the message
 * @param doneDate     when the carrier reached this stat
 * @param stat         the stat token
 * @param err          the err field, written as given
 * @param originalText the original message text; the first characters go after {@code text:}
 */
public record ReceiptFields(String messageId, Long numericId, String handset, String sender, Instant submitDate,
                            Instant doneDate, Stat stat, String err, String originalText) {
    public ReceiptFields {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(submitDate, "submitDate");
        Objects.requireNonNull(doneDate, "doneDate");
        Objects.requireNonNull(stat, "stat");
        Objects.requireNonNull(err, "err");
        handset = handset == null ? "" : handset;
        sender = sender == null ? "" : sender;
        originalText = originalText == null ? "" : originalText;
    }
}
