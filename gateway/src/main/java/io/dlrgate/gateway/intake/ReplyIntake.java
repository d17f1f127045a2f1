package io.dlrgate.gateway.intake;

import com.cloudhopper.smpp.pdu.BaseSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.intake.parse.ReceiptParseException;
import io.dlrgate.config.RepliesConfig;
import io.dlrgate.gateway.intake.reply.ParsedReply;
import io.dlrgate.gateway.intake.reply.ReplyDuplicateKey;
import io.dlrgate.gateway.intake.reply.ReplyParser;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.reporting.logging.LogText;
import io.dlrgate.reporting.replies.ReplyKeywords;
import io.dlrgate.reporting.replies.ReplyKind;
import io.dlrgate.reporting.write.GroupCommitter;
import io.dlrgate.reporting.write.IncomingReply;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recipients' replies in, durable replies out: reads a reply PDU on the event loop (pure CPU), decides from the
 * configured keywords whether it opts its number out or in, and hands it to the group committer with the way to
 * answer it. As for receipts, deliver_sm_resp goes out only once the reply is stored; a store that cannot take it
 * now is answered with the carrier's temporary error, so the carrier retries (never a silent loss). A carrier's
 * resend of a reply already stored (its response was lost) is acknowledged as well, and not stored again: the store
 * recognises it by its {@link ReplyDuplicateKey}.
 */
final class ReplyIntake {

    private static final Logger log = LoggerFactory.getLogger(ReplyIntake.class);
    /** Per carrier: a reply the store refuses is logged (its only record), one carrier's flood never hides another's. */
    private final Map<String, LogRateLimit> refusedLines = new ConcurrentHashMap<>();

    private final GroupCommitter committer;
    private final Clock clock;
    private final ReplyKeywords keywords;
    private final Duration duplicateWindow;
    private final GatewayMetrics metrics;

    ReplyIntake(GroupCommitter committer, Clock clock, RepliesConfig replies, GatewayMetrics metrics) {
        this.committer = committer;
        this.clock = clock;
        this.keywords = new ReplyKeywords(replies);
        this.duplicateWindow = replies.duplicateWindow();
        this.metrics = metrics;
    }

    /** Called on the event loop for a PDU {@link ReplyParser#isReply} took for a reply. Never blocks. */
    void replyPdu(CarrierSession session, PduRequest<?> pdu) {
        CarrierConfig carrier = session.carrier();
        ParsedReply p = ReplyParser.parse((BaseSm<?>) pdu);
        ReplyKind kind = keywords.classify(p.text());
        IncomingReply reply = new IncomingReply(clock.instant(), carrier.id(), p.command(), p.fromNumber(),
                p.toAddress(), p.text(), p.dataCoding(), kind, ReplyDuplicateKey.of(carrier.id(), (BaseSm<?>) pdu),
                duplicateWindow);
        committer.submitReply(reply, new StoreAnswer(session, pdu,
                () -> metrics.replyStored(carrier.id(), kind.metricName()), () -> metrics.replyResent(carrier.id()),
                why -> refused(session, pdu, why)));
    }

    /** A reply the store refuses: its only record is this line (rate-limited); answered with a permanent error. */
    private void refused(CarrierSession session, PduRequest<?> pdu, String why) {
        refusedLines.computeIfAbsent(session.carrierId(), c -> new LogRateLimit()).warn(log,
                "carrier {} from {}: reply {} seq {} refused, the store cannot take it: {}", session.carrierId(),
                session.remoteAddress(), pdu.getName(), pdu.getSequenceNumber(), LogText.escape(why, 500));
        StoreAnswer.respond(session, pdu, ReceiptParseException.ESME_RX_P_APPN);
    }
}
