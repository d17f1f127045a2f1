package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.AlertNotification;
import com.cloudhopper.smpp.pdu.DataSmResp;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import com.cloudhopper.smpp.type.RecoverablePduException;
import com.cloudhopper.smpp.type.UnknownCommandIdException;
import com.cloudhopper.smpp.type.UnrecoverablePduException;
import com.cloudhopper.smpp.util.PduUtil;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.logging.LogText;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits right after ch-smpp's PDU decoder, on every carrier connection (the ones carriers open and the ones the
 * gateway opens to an SMSC), and answers what the decoder could not make into a PDU, and the one PDU ch-smpp's
 * session would misread.
 *
 * <ul>
 *   <li><b>Decode errors</b>: an unknown command_id request gets generic_nack ESME_RINVCMDID; a request whose
 *       body does not parse within its length gets its own response with ESME_RINVCMDLEN; a response that
 *       cannot be decoded is dropped; an error that leaves nothing to answer closes the connection. ch-smpp's
 *       session wrapper unwraps the decoder's exception and would only log it (bound) or close (unbound): the
 *       peer never got an answer, retried the PDU forever, and its window filled.</li>
 *   <li><b>alert_notification</b>: it has no response in SMPP and ch-smpp's session would mistake it for a
 *       response; it is logged and dropped.</li>
 * </ul>
 * Needs {@link FrameGuard} before the decoder: each frame is one PDU, so after a decode error the stream is still
 * in step, and FrameGuard knows the command_id and sequence number of a body too short to decode at all.
 * The lines logged for single PDUs are rate-limited per kind ({@link LogRateLimit}); every request is still
 * answered. All on the channel's event loop; nothing here blocks.
 */
final class DecodeErrorGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DecodeErrorGuard.class);

    // A peer can send these PDUs as fast as it likes: their lines are limited per kind, for all connections
    // together (see LogRateLimit). Lines that end a connection come once per connection, limited too.
    private static final LogRateLimit ALERT_LINES = new LogRateLimit();
    private static final LogRateLimit UNKNOWN_COMMAND_LINES = new LogRateLimit();
    private static final LogRateLimit MALFORMED_LINES = new LogRateLimit();
    private static final LogRateLimit CLOSING_LINES = new LogRateLimit();

    private final PduTranscoder transcoder;

    DecodeErrorGuard(PduTranscoder transcoder) {
        this.transcoder = transcoder;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof AlertNotification) {
            ALERT_LINES.info(log,
                    "alert_notification from {} ignored (the gateway does not track handset availability)",
                    ctx.channel().remoteAddress());
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof RecoverablePduException e) {
            answerUndecodable(ctx, e);
            return; // the frame was consumed whole: the session goes on
        }
        if (cause instanceof DecoderException && c instanceof IndexOutOfBoundsException) {
            // ch-smpp reads a body shorter than its own fields say (sm_length 200, 5 octets follow) past its end
            // and throws this instead of a RecoverablePduException: the PDU went unanswered. The frame was cut
            // whole by FrameGuard, so the stream is still in step: answer it and go on.
            answerShortBody(ctx, c);
            return;
        }
        if (c instanceof UnrecoverablePduException) {
            CLOSING_LINES.warn(log, "undecodable PDU from {} ({}): closing the connection",
                    ctx.channel().remoteAddress(), LogText.escape(c.getMessage()));
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause); // I/O errors and the like: ch-smpp's own handling
    }

    private void answerShortBody(ChannelHandlerContext ctx, Throwable c) {
        FrameGuard frames = ctx.pipeline().get(FrameGuard.class);
        if (frames == null || !PduUtil.isRequestCommandId(frames.lastCommandId())) {
            MALFORMED_LINES.warn(log, "malformed PDU from {} dropped (its body is shorter than its fields: {})",
                    ctx.channel().remoteAddress(), LogText.escape(c.toString()));
            return;
        }
        PduResponse response = switch (frames.lastCommandId()) {
            case SmppConstants.CMD_ID_DELIVER_SM -> new DeliverSmResp();
            case SmppConstants.CMD_ID_DATA_SM -> new DataSmResp();
            default -> new GenericNack();
        };
        response.setCommandStatus(SmppConstants.STATUS_INVCMDLEN);
        response.setSequenceNumber(frames.lastSequence());
        MALFORMED_LINES.warn(log,
                "malformed PDU 0x{} seq {} from {} (its body is shorter than its fields): {} ESME_RINVCMDLEN",
                Integer.toHexString(frames.lastCommandId()), frames.lastSequence(), ctx.channel().remoteAddress(),
                response.getName());
        write(ctx, transcoder, response);
    }

    private void answerUndecodable(ChannelHandlerContext ctx, RecoverablePduException e) {
        Pdu partial = e.getPartialPdu();
        if (partial == null) {
            CLOSING_LINES.warn(log, "undecodable PDU from {} ({}): closing the connection",
                    ctx.channel().remoteAddress(), LogText.escape(e.getMessage()));
            ctx.close();
            return;
        }
        if (e instanceof UnknownCommandIdException) {
            if (PduUtil.isRequestCommandId(partial.getCommandId())) {
                UNKNOWN_COMMAND_LINES.warn(log, "unknown command_id 0x{} from {}: generic_nack ESME_RINVCMDID",
                        Integer.toHexString(partial.getCommandId()), ctx.channel().remoteAddress());
                GenericNack nack = new GenericNack();
                nack.setCommandStatus(SmppConstants.STATUS_INVCMDID);
                nack.setSequenceNumber(partial.getSequenceNumber());
                write(ctx, transcoder, nack);
            } else {
                UNKNOWN_COMMAND_LINES.warn(log, "unknown response command_id 0x{} from {} dropped",
                        Integer.toHexString(partial.getCommandId()), ctx.channel().remoteAddress());
            }
            return;
        }
        if (partial instanceof PduRequest<?> request) {
            MALFORMED_LINES.warn(log, "malformed {} from {} ({}): ESME_RINVCMDLEN", partial.getName(),
                    ctx.channel().remoteAddress(), LogText.escape(e.getMessage()));
            PduResponse response = request.createResponse();
            response.setCommandStatus(SmppConstants.STATUS_INVCMDLEN);
            write(ctx, transcoder, response);
        } else {
            MALFORMED_LINES.warn(log, "malformed {} from {} dropped ({})", partial.getName(),
                    ctx.channel().remoteAddress(), LogText.escape(e.getMessage()));
        }
    }

    /** Encodes and writes a response straight to the wire, below ch-smpp's session. */
    static ChannelFuture write(ChannelHandlerContext ctx, PduTranscoder transcoder, PduResponse response) {
        try {
            return ctx.writeAndFlush(transcoder.encode(response));
        } catch (Exception e) {
            log.error("could not encode {} for {}: {}", response.getName(), ctx.channel().remoteAddress(), e.toString());
            return ctx.newFailedFuture(e);
        }
    }
}
