package io.dlrgate.gateway.dispatch;

import com.cloudhopper.smpp.pdu.PduRequest;
import io.dlrgate.gateway.smpp.CarrierSession;
import io.dlrgate.gateway.smpp.CarrierSessions;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code dispatch.submit_timeout}: a submit_sm whose submit_sm_resp has not come within it is taken out of its
 * session's window and reported as timed out (then retried or failed by the usual rules). The SMPP layer's own
 * expiry ({@code smpp.request_expiry}, at least as long, enforced by the config) stays for every other request.
 * One thread looks at every session's window a few times per timeout: windows are small (tens of requests).
 */
final class SubmitTimeouts implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SubmitTimeouts.class);

    private final CarrierSessions sessions;
    private final long timeoutMillis;
    private final BiConsumer<CarrierSession, PduRequest<?>> timedOut;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "dlrgate-submit-timeouts");
        t.setDaemon(true);
        return t;
    });

    SubmitTimeouts(CarrierSessions sessions, Duration timeout, BiConsumer<CarrierSession, PduRequest<?>> timedOut) {
        this.sessions = sessions;
        this.timeoutMillis = timeout.toMillis();
        this.timedOut = timedOut;
    }

    void start() {
        // a quarter of the timeout between looks (10 ms to 1 s): a submit times out at most 25% late
        long every = Math.max(10, Math.min(1_000, timeoutMillis / 4));
        timer.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    /** Reports every submit written more than the timeout ago and still unanswered. */
    void sweep() {
        // The window stamps requests with wall-clock millis: the same clock here, not the injected one.
        long writtenBefore = System.currentTimeMillis() - timeoutMillis;
        for (CarrierSession s : sessions.all()) {
            try {
                for (PduRequest<?> request : s.takeUnansweredSubmits(writtenBefore)) {
                    timedOut.accept(s, request);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("submit timeouts of {} could not be checked", s, e);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
