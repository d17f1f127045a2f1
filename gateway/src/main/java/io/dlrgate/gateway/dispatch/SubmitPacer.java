package io.dlrgate.gateway.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces submits to one carrier evenly at its effective rate ({@link AdaptiveSubmitRate}: the configured rate, or
 * less while the carrier throttles). Strict pacing (no burst credit) keeps every one-second window at or under the
 * rate as the carrier sees it, which is what a carrier's throttle counts. Used by one dispatcher thread per
 * carrier, so it needs no locking.
 */
final class SubmitPacer {

    private final AdaptiveSubmitRate rate;
    private long next;

    SubmitPacer(AdaptiveSubmitRate rate) {
        this.rate = rate;
        this.next = System.nanoTime();
    }

    /** Blocks until the next submit may go. */
    void acquire() throws InterruptedException {
        long intervalNanos = (long) (TimeUnit.SECONDS.toNanos(1) / rate.perSecond());
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
