package io.dlrgate.reporting.receipt;

import java.time.Instant;

/**
 * A parsed receipt ready to be stored: every field the raw log keeps, plus the normalised id it is matched on.
 *
 * @param receiptedIdRaw the id as the carrier wrote it
 * @param receiptedId    the id normalised with the carrier's receipt id format (the correlation key)
 * @param body           the receipt text (short_message or message_payload), for inspection
 */
public record IncomingReceipt(
        Instant receivedAt,
        String carrierId,
        String command,
        int esmClass,
        String receiptedIdRaw,
        String receiptedId,
        String stat,
        String err,
        String networkErrorCode,
        Integer messageState,
        Instant submitDate,
        Instant doneDate,
        boolean intermediate,
        String body) {
}
