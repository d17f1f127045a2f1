package io.dlrgate.reporting.write;

import io.dlrgate.reporting.db.StorableText;
import io.dlrgate.reporting.replies.ReplyKind;
import java.time.Duration;
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
 * @param duplicateKey    what a carrier's resend of the same PDU has too (a hash); null: never a duplicate
 * @param duplicateWindow how long after this reply is stored a copy with its key is a resend, not a new reply
 */
public record IncomingReply(
        Instant receivedAt,
        String carrierId,
        String command,
        String fromNumber,
        String toAddress,
        String text,
        int dataCoding,
        ReplyKind kind,
        byte[] duplicateKey,
        Duration duplicateWindow) implements Incoming {

    /** A reply never taken for a duplicate. */
    public IncomingReply(Instant receivedAt, String carrierId, String command, String fromNumber, String toAddress,
                         String text, int dataCoding, ReplyKind kind) {
        this(receivedAt, carrierId, command, fromNumber, toAddress, text, dataCoding, kind, null, Duration.ZERO);
    }

    public IncomingReply {
        Objects.requireNonNull(duplicateWindow, "duplicateWindow");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(carrierId, "carrierId");
        Objects.requireNonNull(kind, "kind");
        fromNumber = StorableText.of(Objects.requireNonNull(fromNumber, "fromNumber"));
        toAddress = StorableText.of(toAddress == null ? "" : toAddress);
        text = StorableText.of(text == null ? "" : text);
    }
}
