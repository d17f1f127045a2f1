package io.dlrgate.gateway.smpp.client;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The waits between attempts to bind out: exponential from {@code min} to {@code max}, each with jitter (a random
 * part of up to half the wait) so that the sessions of a carrier, or of many gateways, do not all reconnect at the
 * same moment after the SMSC comes back. Never shorter than {@code min}: no tight loop, whatever fails.
 *
 * <p>Not thread-safe: one per kept bind, used from its own attempts only.
 */
final class Backoff {

    private final long minMs;
    private final long maxMs;
    private final DoubleSupplier random;
    private long currentMs;
    private int shortSessionsInARow;

    /** A bound session that ends sooner than this after its bind counts as "dropped at once". */
    static final long SHORT_SESSION_MS = 10_000;

    /** @param random values in [0, 1) (tests pass a fixed one) */
    Backoff(Duration min, Duration max, DoubleSupplier random) {
        this.minMs = Math.max(1, min.toMillis());
        this.maxMs = Math.max(minMs, max.toMillis());
        this.random = random;
    }

    /** The next wait: twice the last (from {@code min}, at most {@code max}), less up to half of it at random. */
    long nextMillis() {
        currentMs = currentMs == 0 ? minMs : Math.min(maxMs, currentMs * 2);
        return jittered(currentMs);
    }

    /**
     * A wait at the slow end, for failures that retrying soon cannot fix (the SMSC refused the bind: a wrong
     * password does not heal in a second, and a refused bind may count towards a lockout on the SMSC).
     */
    long slowestMillis() {
        currentMs = maxMs;
        return jittered(maxMs);
    }

    /** The next failure starts from {@code min} again. */
    void reset() {
        currentMs = 0;
    }

    /**
     * A bind succeeded: the SMSC is reachable and takes our credentials, so whatever the waits had grown to before
     * (a refused bind puts them at {@code max}) no longer says anything. Without this, a session bound after an
     * outage and dropped a minute later waited the whole {@code max} before binding again.
     */
    void bound() {
        currentMs = 0;
    }

    /**
     * The wait after a bound session ended. A session that lasted at least {@link #SHORT_SESSION_MS} is
     * followed by {@code min}; sessions that keep ending sooner (an SMSC that takes the bind and then drops it)
     * double the wait each time in a row, as failed attempts do, so that such an SMSC is not hammered either.
     */
    long afterSessionMillis(long upMs) {
        shortSessionsInARow = upMs < SHORT_SESSION_MS ? shortSessionsInARow + 1 : 0;
        long ms = minMs;
        for (int i = 1; i < shortSessionsInARow && ms < maxMs; i++) {
            ms = Math.min(maxMs, ms * 2);
        }
        currentMs = ms; // a failed attempt after this goes on doubling from here
        return jittered(ms);
    }

    private long jittered(long ms) {
        long half = ms / 2;
        return Math.max(minMs, ms - (long) (random.getAsDouble() * half));
    }
}
