package io.dlrgate.gateway.smpp;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.SmppServerSession;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import com.cloudhopper.smpp.pdu.DataSmResp;
import com.cloudhopper.smpp.pdu.DeliverSmResp;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.transcoder.PduTranscoder;
import com.cloudhopper.smpp.type.RecoverablePduException;
import com.cloudhopper.smpp.type.SmppChannelException;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import com.cloudhopper.smpp.type.UnrecoverablePduException;
import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.util.internal.PlatformDependent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * The one {@link CarrierSession} implementation: a ch-smpp session plus the bookkeeping around it. The same class
 * serves both directions: a carrier's bind to the gateway's server and the gateway's bind to a carrier's SMSC are
 * both a {@link DefaultSmppSession} once bound, and everything downstream treats them alike.
 */
final class SmppCarrierSession implements CarrierSession {

    private static final Logger log = LoggerFactory.getLogger(SmppCarrierSession.class);
    /** Once per unbind, and a carrier can bind and unbind in a loop: within limits. */
    private static final LogRateLimit UNBIND_WAIT_LINES = new LogRateLimit();

    private final long id;
    private final CarrierConfig carrier;
    private final BindType bindType;
    private final SessionDirection direction;
    /** Known at construction for inbound sessions; an outbound one is built before it connects (see remoteAddress). */
    private final InetSocketAddress remote;
    private final DefaultSmppSession session;
    private final Channel channel;
    private final PduTranscoder transcoder;
    /** True on any of the server's event loops, where blocking calls would stall every session on that loop. */
    private final BooleanSupplier onEventLoop;

    // Guarded by this: the bound/closed reports must be ordered and happen once each (see CarrierSessionListener).
    private volatile boolean reportedBound; // volatile: isBound() is read lock-free by dispatchers
    private volatile boolean closed; // also read without the lock, by the window monitor's expiry path
    /** The carrier asked to unbind: no new submit may go to it, though the connection is still open. */
    private volatile boolean unbinding;
    /** The gateway is stopping: no new submit goes out, the answers to those in flight are still taken. */
    private volatile boolean draining;
    /** unbind_resps waiting for the answers to earlier receipts; more than one if the carrier repeats its unbind. */
    private final Queue<PduResponse> unbindAnswers = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private List<PduRequest<?>> inFlightAtClose;

    /** Why the session ended, for the close log line; first writer wins. */
    private volatile String endReason;

    /*
     * Write coalescing. The group committer acknowledges a whole batch of receipts at once from its own thread;
     * a writeAndFlush per deliver_sm_resp from there is one task on the event loop and one send() system call each
     * (measured: about 8 µs of CPU per receipt at full speed). Instead the responses queue here and ONE task writes
     * all that are queued and flushes once, in the order they were queued. Responses made on the event loop
     * itself are written at once, after anything queued before them.
     */
    private final Queue<ByteBuf> queuedResponses = PlatformDependent.newMpscQueue();
    private final AtomicBoolean writeScheduled = new AtomicBoolean();
    private final HeldUnbind heldUnbind = new HeldUnbind();

    SmppCarrierSession(long id, CarrierConfig carrier, BindType bindType, DefaultSmppSession session,
                       PduTranscoder transcoder, BooleanSupplier onEventLoop) {
        this(id, carrier, bindType, SessionDirection.IN, session, transcoder, onEventLoop);
    }

    /** @param bindType from the carrier's side (see {@link CarrierSession#bindType()}) */
    SmppCarrierSession(long id, CarrierConfig carrier, BindType bindType, SessionDirection direction,
                       DefaultSmppSession session, PduTranscoder transcoder, BooleanSupplier onEventLoop) {
        this.id = id;
        this.carrier = carrier;
        this.bindType = bindType;
        this.direction = direction;
        this.session = session;
        this.channel = session.getChannel();
        this.remote = (InetSocketAddress) channel.remoteAddress();
        this.transcoder = transcoder;
        this.onEventLoop = onEventLoop;
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public String carrierId() {
        return carrier.id();
    }

    @Override
    public CarrierConfig carrier() {
        return carrier;
    }

    @Override
    public BindType bindType() {
        return bindType;
    }

    @Override
    public SessionDirection direction() {
        return direction;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        // Netty keeps a channel's remote address once connected, also after the close.
        return remote != null ? remote : (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public SmppServerSession smppSession() {
        return session;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public boolean isBound() {
        return boundEvenIfDraining() && !draining;
    }

    /** Bound, whether or not draining: the gateway's stop unbinds such a session once its window emptied. */
    boolean boundEvenIfDraining() {
        return reportedBound && !closed && !unbinding && session.isBound() && channel.isActive();
    }

    @Override
    public void drain() {
        draining = true;
    }

    @Override
    public WindowFuture<Integer, PduRequest, PduResponse> sendSubmit(SubmitSm submit, long windowWaitMs)
            throws SendFailedException, InterruptedException {
        if (onEventLoop.getAsBoolean()) {
            // ch-smpp waits for a window slot and for the write: on an event loop that is a deadlock or a stall.
            throw new IllegalStateException("sendSubmit must not be called on a Netty event loop thread");
        }
        if (!bindType.takesSubmits()) {
            // A transmitter bind only sends us receipts; a submit to it is a routing bug, not a carrier problem.
            throw new IllegalStateException(this + " is a transmitter bind: it takes no submit_sm");
        }
        if (!isBound()) {
            throw new SendFailedException(SendFailedException.Reason.NOT_BOUND,
                    "session " + id + " of carrier " + carrier.id() + " is not bound", null);
        }
        // Sequence numbers belong to a session: a PDU requeued from another (closed) session, or retried after
        // a failure, still carries the old one and would collide with, or be mistaken for, a request here.
        submit.removeSequenceNumber();
        try {
            // false = the caller does not wait: the response is delivered to the session handler instead.
            return session.sendRequestPdu(submit, windowWaitMs, false);
        } catch (SmppTimeoutException e) {
            submit.removeSequenceNumber();
            throw new SendFailedException(SendFailedException.Reason.WINDOW_FULL,
                    "window of session " + id + " stayed full for " + windowWaitMs + " ms", e);
        } catch (SmppChannelException e) {
            if (forgetFailed(submit)) {
                throw new SendFailedException(SendFailedException.Reason.REQUEUED_BY_CLOSE,
                        "session " + id + " of carrier " + carrier.id() + " closed during the write and requeued it", e);
            }
            throw new SendFailedException(SendFailedException.Reason.CHANNEL,
                    "write to carrier " + carrier.id() + " failed: " + e.getMessage(), e);
        } catch (RecoverablePduException | UnrecoverablePduException e) {
            forgetFailed(submit);
            throw new SendFailedException(SendFailedException.Reason.ENCODING,
                    "submit_sm could not be sent: " + e.getMessage(), e);
        }
    }

    /**
     * ch-smpp puts a request in the window before writing it; when the write fails the entry would linger and
     * later "expire". The caller already knows it failed, so the request must be reported nowhere else.
     *
     * @return true when the session's close got there first and already handed the request back to the
     *         listeners as in flight (they requeue it): the caller must not send it again elsewhere
     */
    private synchronized boolean forgetFailed(SubmitSm submit) throws InterruptedException {
        if (submit.hasSequenceNumberAssigned()) {
            WindowFuture<Integer, PduRequest, PduResponse> f = session.getSendWindow().get(submit.getSequenceNumber());
            if (f != null && f.getRequest() == submit) {
                session.getSendWindow().cancel(submit.getSequenceNumber());
            }
        }
        boolean handedBack = inFlightAtClose != null && inFlightAtClose.removeIf(r -> r == submit) && reportedBound;
        submit.removeSequenceNumber();
        return handedBack;
    }

    @Override
    public void respond(PduResponse response) {
        if (!channel.isActive()) {
            log.debug("carrier={} session={} closed, dropping {}", carrier.id(), id, response.getName());
        } else {
            writeResponse(response);
        }
        // After the answer is queued: a held unbind_resp released by it is written behind it.
        if (response instanceof DeliverSmResp || response instanceof DataSmResp) {
            heldUnbind.receiptAnswered();
        }
    }

    /** A deliver_sm or data_sm reached the session's handler: its answer is to come (see {@link HeldUnbind}). */
    void receiptTaken() {
        heldUnbind.receiptTaken();
    }

    /**
     * Answers the carrier's unbind and closes the connection once the answer is written, but only after the answers
     * to the receipts it sent before the unbind, or at the latest after {@code maxWait}.
     */
    void unbindAfterReceiptAnswers(PduResponse unbindResp, Duration maxWait) {
        // First: dispatchers must stop offering this session submits while its unbind_resp waits (the carrier,
        // unbinding, would refuse them, and a refusal can fail a message for good).
        unbinding = true;
        unbindAnswers.add(unbindResp);
        int outstanding = heldUnbind.unanswered();
        if (heldUnbind.unbind(this::writeUnbindAnswers)) {
            return;
        }
        UNBIND_WAIT_LINES.info(log, "unbind: carrier={} session={} waits for the answers to {} receipts being stored",
                carrier.id(), id, outstanding);
        channel.eventLoop().schedule(() -> {
            int missing = heldUnbind.unanswered();
            if (heldUnbind.release()) {
                UNBIND_WAIT_LINES.warn(log, "unbind: carrier={} session={} answered after {} with {} receipts still "
                        + "unanswered; the carrier will send them again", carrier.id(), id, maxWait, missing);
            }
        }, maxWait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Writes every queued unbind_resp, in order, after all responses queued before, and closes the connection after
     * the last. ONE task on the event loop does it all: whoever releases the held unbind (the committer's thread,
     * the event loop, the timer) only schedules it, so a repeated unbind read in the same batch is still answered
     * and no close can overtake an answer. A task finding nothing left (another drained it) does nothing.
     */
    private void writeUnbindAnswers() {
        try {
            channel.eventLoop().execute(this::drainUnbindAnswers);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // The event loop is shutting down, the connection with it. A held unbind_resp released by a late
            // answer (from the committer, after the SMPP server stopped) must not throw into that caller.
            unbindAnswers.clear();
            log.debug("carrier={} session={} event loop stopped, unbind_resp not written", carrier.id(), id);
        }
    }

    /** On the event loop: the unbind_resps join the response queue, one flush writes it all, then the close. */
    private void drainUnbindAnswers() {
        boolean any = false;
        PduResponse answer;
        while ((answer = unbindAnswers.poll()) != null) {
            ByteBuf buffer = encode(answer);
            if (buffer != null) {
                queuedResponses.add(buffer);
            }
            any = true;
        }
        writeQueued();
        if (any) { // writes complete in order: the close follows the last answer
            channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private ByteBuf encode(PduResponse response) {
        try {
            return transcoder.encode(response);
        } catch (Exception e) {
            log.error("carrier={} session={} could not encode {}: {}", carrier.id(), id, response, e.toString());
            return null;
        }
    }

    private void writeResponse(PduResponse response) {
        ByteBuf buffer = encode(response);
        if (buffer == null) {
            return;
        }
        // Not DefaultSmppSession.sendResponsePdu: that waits for the write, which may not happen on an event loop.
        queuedResponses.add(buffer);
        if (channel.eventLoop().inEventLoop()) {
            writeQueued();
        } else if (writeScheduled.compareAndSet(false, true)) {
            try {
                channel.eventLoop().execute(this::writeQueuedTask);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // The event loop is shutting down: the connection is gone with it. Nothing can be written.
                writeScheduled.set(false);
                ByteBuf b;
                while ((b = queuedResponses.poll()) != null) {
                    b.release();
                }
                log.debug("carrier={} session={} event loop stopped, {} not written", carrier.id(), id, response.getName());
            }
        }
    }

    private void writeQueuedTask() {
        // Cleared before draining: a response queued after the drain below ends schedules a task of its own.
        writeScheduled.set(false);
        writeQueued();
    }

    /** On the event loop: writes every queued response, then one flush. */
    private void writeQueued() {
        ByteBuf b;
        boolean any = false;
        while ((b = queuedResponses.poll()) != null) {
            channel.write(b).addListener(WRITE_FAILED);
            any = true;
        }
        if (any) {
            channel.flush();
        }
    }

    private static final ChannelFutureListener WRITE_FAILED = f -> {
        if (!f.isSuccess()) {
            log.debug("channel {}: a response could not be written: {}", f.channel(), String.valueOf(f.cause()));
        }
    };

    @Override
    public synchronized List<PduRequest<?>> takeUnansweredSubmits(long writtenBeforeMillis)
            throws InterruptedException {
        if (closed) {
            return List.of(); // reportClosed took what was in flight
        }
        List<PduRequest<?>> out = new ArrayList<>();
        for (WindowFuture<Integer, PduRequest, PduResponse> f : session.getSendWindow().createSortedSnapshot().values()) {
            if (f.getRequest() instanceof SubmitSm && f.getAcceptTimestamp() < writtenBeforeMillis
                    && session.getSendWindow().cancel(f.getKey()) != null) { // null: answered meanwhile
                out.add(f.getRequest());
            }
        }
        return out;
    }

    @Override
    public synchronized List<PduRequest<?>> inFlight() {
        if (inFlightAtClose != null) {
            return List.copyOf(inFlightAtClose);
        }
        List<PduRequest<?>> out = new ArrayList<>();
        for (WindowFuture<Integer, PduRequest, PduResponse> f : session.getSendWindow().createSortedSnapshot().values()) {
            out.add(f.getRequest());
        }
        return out;
    }

    @Override
    public void close() {
        noteEndReason("closed by the gateway");
        channel.close();
    }

    /**
     * Polite end: unbind, wait up to {@code timeoutMs} for unbind_resp, then close. Blocks: not on an event
     * loop. Used when the gateway stops, so carriers see an unbind rather than a dropped connection.
     */
    void unbindAndClose(String reason, long timeoutMs) {
        noteEndReason(reason);
        session.unbind(timeoutMs); // ch-smpp: sends unbind, waits for the answer (or not), always closes
    }

    void noteEndReason(String reason) {
        if (endReason == null) {
            endReason = reason;
        }
    }

    String endReason() {
        return endReason == null ? "connection dropped" : endReason;
    }

    boolean isClosed() {
        return closed;
    }

    /** The carrier asked to unbind; the connection closes once its answer is written. */
    boolean isUnbinding() {
        return unbinding;
    }

    /** Reports the session bound, unless it already closed. Returns whether it was reported. */
    synchronized boolean reportBound(Iterable<? extends CarrierSessionListener> listeners) {
        if (closed || reportedBound) {
            return false;
        }
        reportedBound = true;
        for (CarrierSessionListener l : listeners) {
            try {
                l.sessionBound(this);
            } catch (RuntimeException e) {
                log.error("carrier={} session={} sessionBound listener failed", carrier.id(), id, e);
            }
        }
        return true;
    }

    /**
     * Marks the session closed, moves what was in flight aside (cancelled in the window, so neither a late
     * response nor the window monitor reports it) and tells listeners, once.
     */
    synchronized boolean reportClosed(Iterable<? extends CarrierSessionListener> listeners) {
        if (closed) {
            return false;
        }
        closed = true;
        List<PduRequest<?>> pending = new ArrayList<>();
        List<WindowFuture<Integer, PduRequest, PduResponse>> cancelled = session.getSendWindow().cancelAll();
        if (cancelled != null) { // ch-smpp's window answers null, not an empty list, when nothing was in flight
            for (WindowFuture<Integer, PduRequest, PduResponse> f : cancelled) {
                pending.add(f.getRequest());
            }
        }
        inFlightAtClose = new ArrayList<>(pending);
        if (reportedBound) {
            for (CarrierSessionListener l : listeners) {
                try {
                    l.sessionClosed(this);
                } catch (RuntimeException e) {
                    log.error("carrier={} session={} sessionClosed listener failed", carrier.id(), id, e);
                }
            }
        }
        return reportedBound;
    }

    @Override
    public String toString() {
        return "CarrierSession[" + carrier.id() + "#" + id + " " + bindType.configName()
                + (direction == SessionDirection.IN ? " from " : " to ") + remoteAddress() + "]";
    }
}
