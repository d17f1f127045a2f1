package io.dlrgate.gateway.dispatch;

/**
 * One carrier's effective submit rate, adapted to what the carrier answers, the way TCP adapts its window
 * (additive increase, multiplicative decrease): a submit answered ESME_RTHROTTLED or ESME_RMSGQFUL halves the
 * rate, each accepted submit gives back a hundredth of {@code max_submit_rate}, never above it. From half the rate
 * back to the full rate therefore takes fifty accepted submits, whatever the rate: a carrier whose real limit is
 * below the configured one sees about one throttled submit in fifty, and one that throttled once for a moment
 * gets the full rate back within a second or so.
 *
 * <p>The rate halves at most once per <em>generation</em>: every submit is stamped with the generation it was
 * written in, and only a throttle of a submit written since the last decrease decreases again. One overload
 * otherwise comes back as a whole window of throttled answers, and halving once per answer would drop the rate
 * to the floor for what the carrier meant as one "slow down".
 *
 * <p>Thread-safe: the dispatcher thread reads it for every submit, event loops report the answers.
 */
final class AdaptiveSubmitRate {

    /** Share of the rate kept after a throttle. */
    static final double DECREASE = 0.5;
    /** Share of the configured rate given back per accepted submit. */
    static final double INCREASE = 0.01;
    /** Never slower than one submit a second (or the configured rate, if lower). */
    static final double FLOOR = 1.0;

    private final double max;
    private final double floor;
    private volatile double perSecond;
    private volatile long generation;

    AdaptiveSubmitRate(int maxPerSecond) {
        this.max = maxPerSecond;
        this.floor = Math.min(FLOOR, max);
        this.perSecond = max;
    }

    /** Submits per second allowed now. */
    double perSecond() {
        return perSecond;
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
        perSecond = Math.max(floor, perSecond * DECREASE);
        generation++;
        return true;
    }

    /** A submit was accepted. */
    void accepted() {
        if (perSecond >= max) {
            return; // the usual case: no lock
        }
        synchronized (this) {
            perSecond = Math.min(max, perSecond + max * INCREASE);
        }
    }
}
