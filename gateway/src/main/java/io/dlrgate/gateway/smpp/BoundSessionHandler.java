package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.PduAsyncResponse;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.impl.DefaultSmppSessionHandler;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.BaseBindResp;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.pdu.Unbind;
import com.cloudhopper.smpp.type.RecoverablePduException;
import com.cloudhopper.smpp.type.UnrecoverablePduException;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.logging.LogText;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PDU policy of one bound carrier session. Every request gets an answer, written without blocking:
 * <ul>
 *   <li>enquire_link: ESME_ROK;</li>
 *   <li>unbind: unbind_resp ESME_ROK once the receipts taken before it are answered (at most the request expiry
 *       later, see {@link HeldUnbind}), then the connection is closed (sessionClosed follows);</li>
 *   <li>deliver_sm / data_sm over a transmitter or transceiver bind: handed to
 *       {@link ReceiptListener#receiptPdu}, which answers; over a receiver bind: ESME_RINVBNDSTS;</li>
 *   <li>another bind on this bound session: ESME_RALYBND;</li>
 *   <li>submit_sm, query_sm, cancel_sm, replace_sm and any other request: its own response with ESME_RINVCMDID,
 *       because the gateway never takes those from a carrier, whatever the bind (so not ESME_RINVBNDSTS).</li>
 * </ul>
 * Called by ch-smpp on the session's event loop.
 */
final class BoundSessionHandler extends DefaultSmppSessionHandler {

    private static final Logger log = LoggerFactory.getLogger(BoundSessionHandler.class);

    // A carrier can send these as fast as it likes: their lines are limited per kind, for all sessions together
    // (see LogRateLimit). Lines that come once per session (unbind, closing errors) are not limited.
    private static final LogRateLimit SECOND_BIND_LINES = new LogRateLimit();
    private static final LogRateLimit REFUSED_REQUEST_LINES = new LogRateLimit();
    private static final LogRateLimit RECEIVER_RECEIPT_LINES = new LogRateLimit();
    private static final LogRateLimit LATE_RESPONSE_LINES = new LogRateLimit();
    private static final LogRateLimit RECOVERABLE_ERROR_LINES = new LogRateLimit();
    private static final LogRateLimit UNEXPECTED_ERROR_LINES = new LogRateLimit();
    // Once per session, and a carrier can bind and unbind in a loop: within limits too.
    private static final LogRateLimit UNBIND_LINES = new LogRateLimit();
    private static final LogRateLimit CLOSING_LINES = new LogRateLimit();

    private final SmppCarrierSession session;
    private final ReceiptListener receipts;
    private final SubmitListener submits;
    private final String serverSystemId;
    private final Duration unbindMaxWait;

    /**
     * @param unbindMaxWait how long an unbind_resp may wait for the answers to receipts still being stored
     */
    BoundSessionHandler(SmppCarrierSession session, ReceiptListener receipts, SubmitListener submits,
                        String serverSystemId, Duration unbindMaxWait) {
        super(log);
        this.session = session;
        this.receipts = receipts;
        this.submits = submits;
        this.serverSystemId = serverSystemId;
        this.unbindMaxWait = unbindMaxWait;
    }

    /** Always returns null: ch-smpp would write a returned response with a blocking call on the event loop. */
    @Override
    @SuppressWarnings("rawtypes")
    public PduResponse firePduRequestReceived(PduRequest request) {
        if (request instanceof EnquireLink) {
            session.respond(request.createResponse());
        } else if (request instanceof DeliverSm || request instanceof DataSm) {
            receipt(request);
        } else if (request instanceof Unbind) {
            UNBIND_LINES.info(log, "unbind: carrier={} type={} remote={} session={}", session.carrierId(),
                    session.bindType().configName(), session.remoteAddress(), session.id());
            session.noteEndReason("unbind by the carrier");
            session.unbindAfterReceiptAnswers(request.createResponse(), unbindMaxWait);
        } else if (request instanceof BaseBind) {
            SECOND_BIND_LINES.warn(log, "second bind on bound session: carrier={} remote={} session={}: ESME_RALYBND",
                    session.carrierId(), session.remoteAddress(), session.id());
            BaseBindResp response = (BaseBindResp) request.createResponse();
            response.setSystemId(serverSystemId);
            response.setCommandStatus(SmppConstants.STATUS_ALYBND);
            session.respond(response);
        } else {
            String what = request instanceof SubmitSm ? "submit_sm (the gateway submits, carriers do not)" : request.getName();
            REFUSED_REQUEST_LINES.warn(log, "{} from carrier={} remote={}: ESME_RINVCMDID", what, session.carrierId(),
                    session.remoteAddress());
            reject(request, SmppConstants.STATUS_INVCMDID);
        }
        return null;
    }

    private void receipt(PduRequest<?> request) {
        session.receiptTaken(); // every path below answers it exactly once, through session.respond
        if (!session.bindType().sendsReceipts()) {
            RECEIVER_RECEIPT_LINES.warn(log, "{} over a receiver bind: carrier={} remote={}: ESME_RINVBNDSTS",
                    request.getName(), session.carrierId(), session.remoteAddress());
            reject(request, SmppConstants.STATUS_INVBNDSTS);
            return;
        }
        try {
            receipts.receiptPdu(session, request);
        } catch (RuntimeException e) {
            // The listener failed before it could answer: a temporary error makes the carrier retry later.
            log.error("receipt listener failed for carrier={}: answering 0x{}", session.carrierId(),
                    Integer.toHexString(session.carrier().throttleStatus()), e);
            reject(request, session.carrier().throttleStatus());
        }
    }

    private void reject(PduRequest<?> request, int status) {
        PduResponse response = request.createResponse();
        response.setCommandStatus(status);
        session.respond(response);
    }

    @Override
    public void fireExpectedPduResponseReceived(PduAsyncResponse response) {
        if (!(response.getRequest() instanceof SubmitSm)) {
            return; // only submits are reported here; an enquire_link's future is read by the EnquireLinkKeeper
        }
        try {
            submits.submitResponse(session, response);
        } catch (RuntimeException e) {
            log.error("submitResponse listener failed for carrier={}", session.carrierId(), e);
        }
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void firePduRequestExpired(PduRequest request) {
        try {
            submits.submitExpired(session, request);
        } catch (RuntimeException e) {
            log.error("submitExpired listener failed for carrier={}", session.carrierId(), e);
        }
    }

    @Override
    public void fireUnexpectedPduResponseReceived(PduResponse response) {
        // A response after its request expired or was cancelled at close: already reported elsewhere.
        LATE_RESPONSE_LINES.info(log, "late or unexpected {} (seq {}, status 0x{}) from carrier={}", response.getName(),
                response.getSequenceNumber(), Integer.toHexString(response.getCommandStatus()), session.carrierId());
    }

    @Override
    public void fireChannelUnexpectedlyClosed() {
        session.noteEndReason("connection dropped");
    }

    @Override
    public void fireUnrecoverablePduException(UnrecoverablePduException e) {
        // DecodeErrorGuard answers decode errors before they get here; anything else leaves the stream unreliable.
        CLOSING_LINES.warn(log, "unrecoverable PDU error from carrier={} remote={}: {}: closing", session.carrierId(),
                session.remoteAddress(), LogText.escape(e.getMessage()));
        session.noteEndReason("unrecoverable PDU error");
        session.close();
    }

    @Override
    public void fireRecoverablePduException(RecoverablePduException e) {
        RECOVERABLE_ERROR_LINES.warn(log, "recoverable PDU error from carrier={} remote={}: {}", session.carrierId(),
                session.remoteAddress(), LogText.escape(e.getMessage()));
    }

    @Override
    public void fireUnknownThrowable(Throwable t) {
        // Typically "connection reset by peer", or a TLS handshake that failed (wrapped by Netty's decoder, and
        // reported by whoever opened the connection); the close that follows is what matters.
        Throwable cause = t instanceof io.netty.handler.codec.DecoderException && t.getCause() != null ? t.getCause() : t;
        if (cause instanceof java.io.IOException || t == null) {
            log.debug("carrier={} remote={}: {}", session.carrierId(), session.remoteAddress(), String.valueOf(t));
        } else {
            // With its stack trace (it is unexpected), but a peer may find a way to cause it per PDU: limited.
            long dropped = UNEXPECTED_ERROR_LINES.tryAcquire();
            if (dropped >= 0) {
                log.warn("carrier={} remote={}: unexpected error: {}{}", session.carrierId(), session.remoteAddress(),
                        LogText.escape(String.valueOf(t)), LogRateLimit.droppedSuffix(dropped), t);
            }
        }
    }
}
