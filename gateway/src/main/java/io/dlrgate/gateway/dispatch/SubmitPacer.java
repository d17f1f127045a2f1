package io.dlrgate.gateway.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;

/**
 * Spaces submits to one carrier evenly at its effective rate (this instance's share of the configured rate, or
 * less while the carrier throttles: {@link CarrierDispatcher#effectiveRate}). Strict pacing (no burst credit)
 * keeps every one-second window at the rate as the carrier sees it, which is what a carrier's throttle counts; a
 * late submit and the next one on time can put up to two more into one window. Used by one dispatcher thread per
 * carrier, so it needs no locking.
 */
final class SubmitPacer {

    /** While the rate is zero (this instance waits for its share), it is looked at again this often. */
    static final long ZERO_RATE_RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final DoubleSupplier rate;
    private long next;

    /** @param rate submits per second allowed now; zero holds every submit until it rises */
    SubmitPacer(DoubleSupplier rate) {
        this.rate = rate;
        this.next = System.nanoTime();
    }

    /** Blocks until the next submit may go. */
    void acquire() throws InterruptedException {
        double perSecond;
        while ((perSecond = rate.getAsDouble()) <= 0) {
            LockSupport.parkNanos(ZERO_RATE_RECHECK_NANOS);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / perSecond);
        long now = System.nanoTime();
        if (next < now - intervalNanos) {
            // Idle for a while: start from now rather than bursting to catch up.
            next = now;
        }
        long wait = next - now;
        while (wait > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            wait = next - System.nanoTime();
        }
        next += intervalNanos;
    }
}
