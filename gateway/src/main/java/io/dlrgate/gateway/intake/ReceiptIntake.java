package io.dlrgate.gateway.intake;

import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.config.RepliesConfig;
import io.dlrgate.gateway.intake.parse.NetworkErrorCode;
import io.dlrgate.gateway.intake.parse.ParsedReceipt;
import io.dlrgate.gateway.intake.parse.ReceiptParseException;
import io.dlrgate.gateway.intake.parse.ReceiptParser;
import io.dlrgate.gateway.intake.reply.ReplyParser;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.ReceiptListener;
import io.dlrgate.reporting.logging.LogText;
import io.dlrgate.reporting.correlation.MessageIdNormalizer;
import io.dlrgate.reporting.write.GroupCommitter;
import io.dlrgate.reporting.write.IncomingReceipt;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receipt PDUs in, durable receipts out (and recipients' replies, which come in the same PDUs, to {@link ReplyIntake}): parses each deliver_sm / data_sm on the event loop (pure CPU, no
 * I/O), normalises its id the carrier's way and hands it to the group committer together with the way to
 * answer it. The response goes out only when the committer says the receipt is stored, or says "retry later"
 * with the carrier's temporary error.
 */
public final class ReceiptIntake implements ReceiptListener {

    private static final Logger log = LoggerFactory.getLogger(ReceiptIntake.class);
    /**
     * A carrier can send unusable receipts as fast as it likes: their lines are limited, not the counting. Per
     * carrier: a refused receipt is never stored, its line is the only record of it and its reason, so one
     * carrier's flood must not hide another's refusals.
     */
    private final Map<String, LogRateLimit> refusedLines = new ConcurrentHashMap<>();

    private final GroupCommitter committer;
    private final Clock clock;
    private final Map<String, ReceiptParser> parsers;
    private final AtomicLong refused = new AtomicLong();
    private final GatewayMetrics metrics;

    private final ReplyIntake replies;

    /** With the default opt-out and opt-in keywords. */
    public ReceiptIntake(List<CarrierConfig> carriers, GroupCommitter committer, Clock clock, GatewayMetrics metrics) {
        this(carriers, committer, clock, metrics, RepliesConfig.defaults());
    }

    /** @param replies the keywords of recipients' replies, which come in the same PDUs as receipts */
    public ReceiptIntake(List<CarrierConfig> carriers, GroupCommitter committer, Clock clock, GatewayMetrics metrics,
                         RepliesConfig replies) {
        this.replies = new ReplyIntake(committer, clock, replies, metrics);
        this.metrics = metrics;
        this.committer = committer;
        this.clock = clock;
        this.parsers = new ConcurrentHashMap<>(carriers.stream().collect(Collectors.toMap(CarrierConfig::id,
                (Function<CarrierConfig, ReceiptParser>) c -> new ReceiptParser(c.receiptTimeZone()))));
    }

    /** Receipts refused as unusable (not a receipt, no id): answered with a permanent error and logged. */
    public long refused() {
        return refused.get();
    }

    /**
     * Called on the event loop by the SMPP layer. Never blocks. A PDU nothing marks as a receipt is a recipient's
     * reply ({@link ReplyParser#isReply}): stored and acknowledged the same way, never refused for not being a receipt
     * (the carrier would resend it for ever).
     */
    @Override
    public void receiptPdu(CarrierSession session, PduRequest<?> pdu) {
        if (pdu instanceof BaseSm<?> sm && ReplyParser.isReply(sm)) {
            replies.replyPdu(session, pdu);
            return;
        }
        CarrierConfig carrier = session.carrier();
        ParsedReceipt parsed;
        try {
            parsed = parsers.get(carrier.id()).parse((BaseSm<?>) pdu);
        } catch (ReceiptParseException e) {
            refuse(session, pdu, e.commandStatus(), e.getMessage());
            return;
        }
        IncomingReceipt receipt = toIncoming(carrier, parsed, clock);
        committer.submitReceipt(receipt, new StoreAnswer(session, pdu, () -> { },
                why -> refuse(session, pdu, ReceiptParseException.ESME_RX_P_APPN, why)));
    }

    /**
     * A receipt that cannot be taken, by the parser or by the store: counted, logged (rate-limited), answered
     * {@code status}.
     */
    private void refuse(CarrierSession session, PduRequest<?> pdu, int status, String why) {
        refused.incrementAndGet();
        metrics.receiptRefused(session.carrierId());
        refusedLines.computeIfAbsent(session.carrierId(), c -> new LogRateLimit()).warn(log,
                "carrier {} from {}: refused {} seq {} with 0x{}: {}", session.carrierId(),
                session.remoteAddress(), pdu.getName(), pdu.getSequenceNumber(), Integer.toHexString(status),
                LogText.escape(why, 500)); // it may quote the carrier's receipt text
        StoreAnswer.respond(session, pdu, status);
    }

    static IncomingReceipt toIncoming(CarrierConfig carrier, ParsedReceipt p, Clock clock) {
        NetworkErrorCode nec = p.networkErrorCode();
        return new IncomingReceipt(
                clock.instant(),
                carrier.id(),
                p.pduType() == ParsedReceipt.PduType.DATA_SM ? "data_sm" : "deliver_sm",
                p.esmClass(),
                p.receiptedMessageId(),
                MessageIdNormalizer.normalize(p.receiptedMessageId(), carrier.receiptIdFormat()),
                p.stat(),
                p.err(),
                nec == null ? null : nec.networkType() + ":" + nec.errorCode(),
                p.messageState(),
                p.submitDate(),
                p.doneDate(),
                p.intermediate(),
                p.rawText());
    }
}
