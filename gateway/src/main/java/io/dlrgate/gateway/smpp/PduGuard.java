package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.AlertNotification;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.GenericNack;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import com.cloudhopper.smpp.type.RecoverablePduException;
import com.cloudhopper.smpp.type.UnknownCommandIdException;
import com.cloudhopper.smpp.type.UnrecoverablePduException;
import com.cloudhopper.smpp.util.PduUtil;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.reporting.logging.LogText;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sits between ch-smpp's PDU decoder and its session wrapper and fixes what ch-smpp gets wrong at the edges.
 *
 * <ul>
 *   <li><b>Bind</b>: {@link BindGate} decides it first. A refused bind never reaches ch-smpp (which would answer at
 *       once): its answer is written here after the delay the gate asks for, from a timer of the event loop, and
 *       the connection is closed; PDUs arriving meanwhile are dropped.</li>
 *   <li><b>Before bind</b>: ch-smpp's unbound session closes the connection, silently, on any PDU that is not a
 *       bind or enquire_link. Here an enquire_link is answered ESME_ROK (SMPP 5.0, 4.1.2, allows it in the open
 *       state: a carrier checking the link while it prepares its bind must not read an error; ch-smpp answers
 *       ESME_RINVBNDSTS), every other request but a bind gets its own response type with ESME_RINVBNDSTS, and the
 *       connection stays open until the bind timer runs out. Stray responses are dropped.</li>
 *   <li><b>While a bind completes</b>: the bind response is written off the event loop, so a PDU pipelined
 *       right behind the bind would reach a session with no handler yet. Such PDUs are held here and released,
 *       in order, once the session is ready.</li>
 *   <li><b>Decode errors</b>: an unknown command_id request gets generic_nack ESME_RINVCMDID; a request whose
 *       body does not parse within its length gets its own response with ESME_RINVCMDLEN; a response that
 *       cannot be decoded is dropped; an error that leaves nothing to answer closes the connection. ch-smpp
 *       would log and stay silent when bound, or close when unbound.</li>
 *   <li><b>alert_notification</b>: it has no response in SMPP and ch-smpp's session would mistake it for a
 *       response; it is logged and dropped.</li>
 *   <li><b>Bind timeout</b>: a connection that sends no bind within {@code smpp.bind_timeout} is closed here,
 *       with a line within limits (ch-smpp's own timer, which logs a line per connection, is only a backstop that
 *       fires later).</li>
 *   <li><b>Unbound budget</b>: the connection's place in {@link UnboundConnections} is given back as soon as its
 *       bind is accepted (or it closes).</li>
 * </ul>
 * The lines logged for single PDUs are rate-limited per kind ({@link LogRateLimit}); every PDU is still answered.
 * All on the channel's event loop; nothing here blocks.
 */
final class PduGuard extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(PduGuard.class);

    // A peer can send these PDUs as fast as it likes: their lines are limited per kind, for all connections
    // together (see LogRateLimit). Lines that end a connection are not limited.
    private static final LogRateLimit ALERT_LINES = new LogRateLimit();
    private static final LogRateLimit BEFORE_BIND_LINES = new LogRateLimit();
    private static final LogRateLimit UNKNOWN_COMMAND_LINES = new LogRateLimit();
    private static final LogRateLimit MALFORMED_LINES = new LogRateLimit();
    // Lines that come once per connection: connections can be opened at will too.
    private static final LogRateLimit CLOSING_LINES = new LogRateLimit();
    private static final LogRateLimit BIND_TIMEOUT_LINES = new LogRateLimit();

    /** One bind being processed on this thread: lets the server handler see the channel, and clean up after. */
    static final class BindAttempt {
        final Channel channel;
        /** Who the gate found the bind's credentials to be. */
        final CarrierConfig carrier;
        Long reservedSessionId;
        boolean sessionCreated;

        BindAttempt(Channel channel, CarrierConfig carrier) {
            this.channel = channel;
            this.carrier = carrier;
        }
    }

    private static final ThreadLocal<BindAttempt> CURRENT_BIND = new ThreadLocal<>();

    /** The bind being handled on this thread (ch-smpp calls the server handler synchronously), or null. */
    static BindAttempt currentBind() {
        return CURRENT_BIND.get();
    }

    private enum State { OPEN, REFUSED, BINDING, BOUND }

    private final PduTranscoder transcoder;
    private final BindGate gate;
    private final Consumer<BindAttempt> bindAttemptDone;
    private final UnboundConnections.Ticket unbound;
    private final long bindTimeoutMillis;
    private ChannelHandlerContext ctx;
    private State state = State.OPEN;
    private final ArrayDeque<Pdu> held = new ArrayDeque<>();
    private ScheduledFuture<?> bindTimer;

    /**
     * @param unbound           the connection's place in the unbound budget, released once it binds
     * @param bindTimeoutMillis how long the connection may stay open without a bind
     */
    PduGuard(PduTranscoder transcoder, BindGate gate, Consumer<BindAttempt> bindAttemptDone,
             UnboundConnections.Ticket unbound, long bindTimeoutMillis) {
        this.transcoder = transcoder;
        this.gate = gate;
        this.bindAttemptDone = bindAttemptDone;
        this.unbound = unbound;
        this.bindTimeoutMillis = bindTimeoutMillis;
    }

    /** Added to an active channel: the bind timer starts now. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        bindTimer = ctx.executor().schedule(this::bindTimedOut, bindTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void bindTimedOut() {
        if (state == State.OPEN && ctx.channel().isActive()) {
            BIND_TIMEOUT_LINES.info(log, "connection from {} closed: no bind within {} ms",
                    ctx.channel().remoteAddress(), bindTimeoutMillis);
            ctx.close();
        }
    }

    private void refusalTimedOut() {
        if (ctx.channel().isActive()) {
            BIND_TIMEOUT_LINES.info(log, "connection from {} closed: its refused bind's answer was not taken within {} ms",
                    ctx.channel().remoteAddress(), bindTimeoutMillis);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        bindTimer.cancel(false);
        ctx.fireChannelInactive();
    }

    /** Bind accepted, response not yet written: hold what arrives. Called on the event loop. */
    void holdUntilReady() {
        state = State.BINDING;
        bindTimer.cancel(false);
        unbound.release(); // a session now: it counts against max_connections instead
    }

    /** The session is ready: release what was held, in order, then pass everything through. Any thread. */
    void ready() {
        try {
            ctx.channel().eventLoop().execute(() -> {
                state = State.BOUND;
                while (!held.isEmpty() && ctx.channel().isActive()) {
                    ctx.fireChannelRead(held.poll());
                }
                held.clear();
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the server is stopping and the event loop is gone: so is the connection
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Pdu pdu)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (pdu instanceof AlertNotification) {
            ALERT_LINES.info(log,
                    "alert_notification from {} ignored (the gateway does not track handset availability)",
                    ctx.channel().remoteAddress());
            return;
        }
        switch (state) {
            case BOUND -> ctx.fireChannelRead(pdu);
            case BINDING -> held.add(pdu);
            case OPEN -> readBeforeBind(ctx, pdu);
            case REFUSED -> { } // the bind's answer is on its way, then the connection closes
        }
    }

    private void readBeforeBind(ChannelHandlerContext ctx, Pdu pdu) {
        if (pdu instanceof BaseBind<?> bind) {
            SocketAddress remote = ctx.channel().remoteAddress();
            BindGate.Verdict verdict = gate.check(bind,
                    remote instanceof InetSocketAddress isa ? isa.getAddress() : null, remote);
            if (verdict instanceof BindGate.Refused refused) {
                refuse(ctx, refused);
                return;
            }
            BindAttempt attempt = new BindAttempt(ctx.channel(), ((BindGate.Accepted) verdict).carrier());
            CURRENT_BIND.set(attempt);
            try {
                ctx.fireChannelRead(pdu); // ch-smpp's unbound session hands it to BindHandler, which takes a slot
            } finally {
                CURRENT_BIND.remove();
                bindAttemptDone.accept(attempt);
            }
            return;
        }
        if (pdu instanceof EnquireLink link) {
            write(ctx, link.createResponse()); // a link check is fine in any state; it is not a session request
            return;
        }
        if (pdu instanceof PduRequest<?> request) {
            BEFORE_BIND_LINES.info(log, "{} before bind from {}: ESME_RINVBNDSTS", pdu.getName(),
                    ctx.channel().remoteAddress());
            PduResponse response = request.createResponse();
            response.setCommandStatus(SmppConstants.STATUS_INVBNDSTS);
            write(ctx, response);
        } else {
            BEFORE_BIND_LINES.info(log, "{} before bind from {} dropped (nothing was asked)", pdu.getName(),
                    ctx.channel().remoteAddress());
        }
    }

    /** Answers a refused bind after its delay, without holding a thread, and closes the connection. */
    private void refuse(ChannelHandlerContext ctx, BindGate.Refused refused) {
        state = State.REFUSED;
        // The connection closes once the answer is written. A peer that stopped reading could keep that write
        // (and so its unbound slot) pending forever: the answer gets its delay plus one bind timeout, then the
        // connection closes whether it went out or not.
        bindTimer.cancel(false);
        bindTimer = ctx.executor().schedule(this::refusalTimedOut,
                refused.delay().toMillis() + bindTimeoutMillis, TimeUnit.MILLISECONDS);
        Runnable answer = () -> write(ctx, refused.response()).addListener(ChannelFutureListener.CLOSE);
        if (refused.delay().isZero()) {
            answer.run();
        } else {
            ctx.executor().schedule(answer, refused.delay().toMillis(), TimeUnit.MILLISECONDS);
        }
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
            case SmppConstants.CMD_ID_DELIVER_SM -> new com.cloudhopper.smpp.pdu.DeliverSmResp();
            case SmppConstants.CMD_ID_DATA_SM -> new com.cloudhopper.smpp.pdu.DataSmResp();
            default -> new GenericNack();
        };
        response.setCommandStatus(SmppConstants.STATUS_INVCMDLEN);
        response.setSequenceNumber(frames.lastSequence());
        MALFORMED_LINES.warn(log,
                "malformed PDU 0x{} seq {} from {} (its body is shorter than its fields): {} ESME_RINVCMDLEN",
                Integer.toHexString(frames.lastCommandId()), frames.lastSequence(), ctx.channel().remoteAddress(),
                response.getName());
        write(ctx, response);
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
                write(ctx, nack);
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
            write(ctx, response);
        } else {
            MALFORMED_LINES.warn(log, "malformed {} from {} dropped ({})", partial.getName(),
                    ctx.channel().remoteAddress(), LogText.escape(e.getMessage()));
        }
    }

    private ChannelFuture write(ChannelHandlerContext ctx, PduResponse response) {
        try {
            return ctx.writeAndFlush(transcoder.encode(response));
        } catch (Exception e) {
            log.error("could not encode {} for {}: {}", response.getName(), ctx.channel().remoteAddress(), e.toString());
            return ctx.newFailedFuture(e);
        }
    }
}
