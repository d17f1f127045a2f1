package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BaseBind;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.Pdu;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Sits between ch-smpp's PDU decoder and its session wrapper, on connections carriers open, and fixes what
 * ch-smpp's server gets wrong at the edges. Decode errors and alert_notification are answered before this, by
 * {@link DecodeErrorGuard}, which outbound connections have too.
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
    private static final LogRateLimit BEFORE_BIND_LINES = new LogRateLimit();
    // Lines that come once per connection: connections can be opened at will too.
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

    private ChannelFuture write(ChannelHandlerContext ctx, PduResponse response) {
        return DecodeErrorGuard.write(ctx, transcoder, response);
    }
}
