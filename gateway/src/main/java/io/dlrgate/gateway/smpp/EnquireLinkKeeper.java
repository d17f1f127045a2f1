package io.dlrgate.gateway.smpp;

import com.cloudhopper.smpp.pdu.EnquireLink;
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
 * <p>The check is a synchronous request on this class's own threads: it blocks while waiting for the answer,
 * which is why it never runs on a Netty event loop.
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
    private final Map<Long, ScheduledFuture<?>> checks = new ConcurrentHashMap<>();

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
        this.timer = Executors.newScheduledThreadPool(2, r -> {
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
        checks.put(session.id(), timer.scheduleWithFixedDelay(() -> check(session), every, every,
                TimeUnit.MILLISECONDS));
    }

    private long intervalFor(CarrierSession session) {
        if (session.direction() == SessionDirection.OUT && session.carrier().connect() != null) {
            return session.carrier().connect().enquireLinkInterval().toMillis();
        }
        return intervalMs;
    }

    @Override
    public void sessionClosed(CarrierSession session) {
        ScheduledFuture<?> f = checks.remove(session.id());
        if (f != null) {
            f.cancel(false);
        }
    }

    private void check(CarrierSession session) {
        if (!session.isBound()) {
            return;
        }
        try {
            session.smppSession().enquireLink(new EnquireLink(), timeoutMs);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            if (!session.isBound()) {
                return; // it went away on its own meanwhile
            }
            DEAD_LINK_LINES.warn(log, "carrier {} {} {}: no enquire_link_resp within {} ms ({}); closing the session",
                    session.carrierId(), session.direction() == SessionDirection.IN ? "from" : "at",
                    session.remoteAddress(), timeoutMs, e.toString());
            if (session instanceof SmppCarrierSession s) {
                s.noteEndReason(END_REASON + " within " + timeoutMs + " ms");
            }
            session.close();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
