package io.dlrgate.gateway.dispatch;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One carrier's effective submit rate, adapted to what the carrier answers: a submit answered ESME_RTHROTTLED or
 * ESME_RMSGQFUL halves the rate (never below one submit a second), and every second without such an answer gives
 * some of it back, never above {@code max_submit_rate}:
 * <ul>
 * <li>up to 90% ({@link #PROBE_FROM}) of the rate at which the last throttle came, {@link #RAMP} (5%) of
 *     {@code max_submit_rate} per second;
 * <li>from there, only {@link #PROBE} (1%) per second: near and above where this carrier said "slow down" last;
 * <li>after {@link #PROBE_SECONDS} of that without a throttle, the carrier evidently takes more (its limit was a
 *     moment's overload): {@link #RAMP} again, up to the full rate.
 * </ul>
 * Why per second, not per accepted submit as before: at 1% of the maximum per accepted submit, a carrier with a
 * fixed cap of 30/s and {@code max_submit_rate} 100 saw the rate back above its cap in under a second, and answered
 * a constant sawtooth of throttles. Now that carrier is probed near its cap, at about one overload every five seconds.
 *
 * <p>The rate halves at most once per <em>generation</em>: every submit is stamped with the generation it was
 * written in, and only a throttle of a submit written since the last decrease decreases again. One overload
 * otherwise comes back as a whole window of throttled answers, and halving once per answer would drop the rate
 * to the floor for what the carrier meant as one "slow down".
 *
 * <p>Thread-safe: the dispatcher thread reads it for every submit, event loops report the throttles. The rate is
 * worked out from the time since the last throttle when asked, so nothing has to tick.
 */
final class AdaptiveSubmitRate {

    /** Share of the rate kept after a throttle. */
    static final double DECREASE = 0.5;
    /** Share of the configured rate given back per second without a throttle, below the last throttle's rate. */
    static final double RAMP = 0.05;
    /** Share of the last throttle's rate up to which {@link #RAMP} applies. */
    static final double PROBE_FROM = 0.9;
    /** Share of the configured rate given back per second from {@link #PROBE_FROM} of the last throttle's rate. */
    static final double PROBE = 0.01;
    /** Seconds of probing without a throttle before {@link #RAMP} applies again. */
    static final double PROBE_SECONDS = 10;
    /** Never slower than one submit a second (or the configured rate, if lower). */
    static final double FLOOR = 1.0;

    private final double max;
    private final double floor;
    private final LongSupplier nanoTime;

    /** Guarded by this: the rate right after the last throttle, that throttle's rate, and when it came. */
    private double base;
    private double ceiling;
    private long sinceNanos;
    private volatile boolean full = true;
    private volatile long generation;

    AdaptiveSubmitRate(int maxPerSecond) {
        this(maxPerSecond, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock ({@link System#nanoTime()}; tests step their own) */
    AdaptiveSubmitRate(int maxPerSecond, LongSupplier nanoTime) {
        this.max = maxPerSecond;
        this.floor = Math.min(FLOOR, max);
        this.nanoTime = nanoTime;
        this.base = max;
        this.ceiling = max;
    }

    /** Submits per second allowed now. */
    double perSecond() {
        if (full) {
            return max; // the usual case: no lock, no clock
        }
        synchronized (this) {
            double r = rateAt(nanoTime.getAsLong());
            if (r >= max) {
                full = true;
            }
            return r;
        }
    }

    private double rateAt(long now) {
        double seconds = (now - sinceNanos) / (double) TimeUnit.SECONDS.toNanos(1);
        double ramp = max * RAMP;
        double knee = Math.max(base, ceiling * PROBE_FROM);
        double toKnee = (knee - base) / ramp;
        double r;
        if (seconds <= toKnee) {
            r = base + ramp * seconds;
        } else if (seconds <= toKnee + PROBE_SECONDS) {
            r = knee + max * PROBE * (seconds - toKnee);
        } else {
            r = knee + max * PROBE * PROBE_SECONDS + ramp * (seconds - toKnee - PROBE_SECONDS);
        }
        return Math.min(max, r);
    }

    int max() {
        return (int) max;
    }

    /** What to stamp a submit with as it is written. */
    long generation() {
        return generation;
    }

    /**
     * A submit written in {@code writtenIn} was throttled.
     *
     * @return whether the rate went down (false: it already did for this overload)
     */
    synchronized boolean throttled(long writtenIn) {
        if (writtenIn != generation) {
            return false;
        }
        long now = nanoTime.getAsLong();
        double at = full ? max : rateAt(now);
        ceiling = at;
        base = Math.max(floor, at * DECREASE);
        sinceNanos = now;
        full = false;
        generation++;
        return true;
    }
}
