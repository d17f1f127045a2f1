package io.dlrgate.reporting.write;

import io.dlrgate.reporting.db.StorableText;
import io.dlrgate.reporting.replies.ReplyKind;
import java.time.Instant;
import java.util.Objects;

/**
 * A recipient's reply (a mobile-originated message) ready to be stored.
 *
 * @param fromNumber  source_addr, in E.164 when it is a number (the key it is linked and suppressed by)
 * @param toAddress   destination_addr as the carrier wrote it
 * @param text        the decoded text
 * @param dataCoding  the data_coding it came in
 * @param kind        what its text does (decided from the configured keywords)
 */
public record IncomingReply(
        Instant receivedAt,
        String carrierId,
        String command,
        String fromNumber,
        String toAddress,
        String text,
        int dataCoding,
        ReplyKind kind) implements Incoming {

    public IncomingReply {
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(carrierId, "carrierId");
        Objects.requireNonNull(kind, "kind");
        fromNumber = StorableText.of(Objects.requireNonNull(fromNumber, "fromNumber"));
        toAddress = StorableText.of(toAddress == null ? "" : toAddress);
        text = StorableText.of(text == null ? "" : text);
    }
}
