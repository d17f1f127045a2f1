package io.dlrgate.gateway.smpp;

import com.cloudhopper.commons.util.windowing.WindowFuture;
import com.cloudhopper.smpp.pdu.EnquireLink;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import io.dlrgate.gateway.logging.LogRateLimit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks every bound session with an enquire_link at a fixed interval and closes a session whose
 * enquire_link_resp does not come in time. Without it a half-open TCP connection (carrier host gone, no RST)
 * would hold a bind slot and a window of submits until the operating system gave up, hours later.
 *
 * <p>Nothing here waits for an answer. A check sends the enquire_link without waiting (ch-smpp hands back a
 * {@link WindowFuture}) and a task scheduled for its deadline looks whether the answer came. An earlier version
 * waited for each answer on a pool of two threads: a carrier with a few silent binds held both threads for
 * {@code request_expiry} each time and every other carrier's checks queued up behind it for minutes. All tasks
 * run on one thread, which also keeps each session's check state confined to it.
 */
public final class EnquireLinkKeeper implements CarrierSessionListener, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EnquireLinkKeeper.class);
    /** Once per session, and a carrier can bind and go silent in a loop: within limits. */
    private static final LogRateLimit DEAD_LINK_LINES = new LogRateLimit();

    /** How the end of a session closed here begins (see {@link SmppCarrierSession#endReason()}). */
    public static final String END_REASON = "no enquire_link_resp";

    private final long intervalMs;
    private final long timeoutMs;
    private final ScheduledExecutorService timer;
    private final Map<Long, Check> checks = new ConcurrentHashMap<>();

    /**
     * @param interval how often each inbound session is checked; must be positive. Outbound sessions (the gateway's
     *                 binds to a carrier's SMSC) are checked at their carrier's {@code connect.enquire_link_interval}
     * @param timeout  how long its enquire_link_resp may take
     */
    public EnquireLinkKeeper(Duration interval, Duration timeout) {
        this(interval, timeout, false);
    }

    /** @param inboundOff true: inbound sessions are not checked ({@code interval} is then ignored) */
    public EnquireLinkKeeper(Duration interval, Duration timeout, boolean inboundOff) {
        if (!inboundOff && (interval.isZero() || interval.isNegative())) {
            throw new IllegalArgumentException("interval must be positive, got " + interval);
        }
        this.intervalMs = inboundOff ? 0 : interval.toMillis();
        this.timeoutMs = timeout.toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dlrgate-enquire-link");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void sessionBound(CarrierSession session) {
        long every = intervalFor(session);
        if (every <= 0) {
            return; // checks off for this session
        }
        Check check = new Check(session);
        checks.put(session.id(), check);
        check.schedule(every);
    }

    private long intervalFor(CarrierSession session) {
        if (session.direction() == SessionDirection.OUT && session.carrier().connect() != null) {
            return session.carrier().connect().enquireLinkInterval().toMillis();
        }
        return intervalMs;
    }

    @Override
    public void sessionClosed(CarrierSession session) {
        Check check = checks.remove(session.id());
        if (check != null) {
            check.stop();
        }
    }

    /** One session's checks. Its fields are touched only on the (single) timer thread. */
    private final class Check {
        private final CarrierSession session;
        private volatile ScheduledFuture<?> periodic;
        /** The enquire_link whose answer is awaited, or null. */
        private WindowFuture<Integer, PduRequest, PduResponse> awaited;
        /** When the connection was first seen unwritable in a row of checks, or 0. */
        private long unwritableSinceNanos;

        Check(CarrierSession session) {
            this.session = session;
        }

        void schedule(long everyMs) {
            periodic = timer.scheduleWithFixedDelay(this::send, everyMs, everyMs, TimeUnit.MILLISECONDS);
        }

        void stop() {
            ScheduledFuture<?> p = periodic;
            if (p != null) {
                p.cancel(false);
            }
        }

        private void send() {
            if (!session.isBound()) {
                return;
            }
            if (awaited != null && !awaited.isSuccess()) {
                return; // not answered yet, still within its deadline (its task closes the session if it stays so)
            }
            awaited = null;
            // ch-smpp waits until a request is written: to a connection that is not read (unwritable) that wait
            // could last until the close. Such a peer does not answer either: it gets the same deadline.
            if (session instanceof SmppCarrierSession s && !s.channel().isWritable()) {
                long now = System.nanoTime();
                if (unwritableSinceNanos == 0) {
                    unwritableSinceNanos = now;
                } else if (now - unwritableSinceNanos >= TimeUnit.MILLISECONDS.toNanos(timeoutMs)) {
                    dead("the connection stayed unwritable");
                }
                return;
            }
            unwritableSinceNanos = 0;
            WindowFuture<Integer, PduRequest, PduResponse> sent;
            try {
                // 0: no wait for a window slot. false: no caller waits; the answer completes the future.
                sent = session.smppSession().sendRequestPdu(new EnquireLink(), 0, false);
            } catch (SmppTimeoutException e) {
                // The window is full of submits: the carrier is being sent to, and answers or their expiry show
                // soon enough whether it lives. Waiting for a slot here would stall every other session's check.
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (session.isBound()) {
                    dead(e.toString());
                }
                return;
            }
            awaited = sent;
            timer.schedule(() -> deadline(sent), timeoutMs, TimeUnit.MILLISECONDS);
        }

        private void deadline(WindowFuture<Integer, PduRequest, PduResponse> sent) {
            if (awaited == sent) {
                awaited = null;
            }
            if (sent.isSuccess() || !session.isBound()) {
                return; // answered, or the session went away on its own meanwhile
            }
            if (!sent.isDone()) {
                sent.cancel(); // frees its window slot (the close would, too)
            }
            dead(sent.getCause() != null ? sent.getCause().toString() : "no answer");
        }

        private void dead(String why) {
            DEAD_LINK_LINES.warn(log, "carrier {} {} {}: no enquire_link_resp within {} ms ({}); closing the session",
                    session.carrierId(), session.direction() == SessionDirection.IN ? "from" : "at",
                    session.remoteAddress(), timeoutMs, why);
            if (session instanceof SmppCarrierSession s) {
                s.noteEndReason(END_REASON + " within " + timeoutMs + " ms");
            }
            stop();
            session.close();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
