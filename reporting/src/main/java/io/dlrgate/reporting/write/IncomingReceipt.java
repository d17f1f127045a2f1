package io.dlrgate.reporting.write;

import io.dlrgate.reporting.db.StorableText;
import java.time.Instant;

/**
 * A parsed receipt ready to be stored: every field the raw log keeps, plus the normalised id it is matched on.
 *
 * @param receiptedIdRaw the id as the carrier wrote it
 * @param receiptedId    the id normalised with the carrier's receipt id format (the correlation key)
 * @param body           the receipt text (short_message or message_payload), for inspection
 *
 * <p>The text fields come from the wire and are made {@linkplain StorableText storable} here (U+0000 becomes ␀),
 * so that one receipt with a NUL inside can never make its whole batch fail.
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
        String body) implements Incoming {

    public IncomingReceipt {
        receiptedIdRaw = StorableText.of(receiptedIdRaw);
        receiptedId = StorableText.of(receiptedId);
        stat = StorableText.of(stat);
        err = StorableText.of(err);
        networkErrorCode = StorableText.of(networkErrorCode);
        body = StorableText.of(body);
    }
}
