package io.dlrgate.gateway.webhooks;

import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.ReceiptOutcome;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether receipt intake is saturated, for webhook delivery to yield to it: the share of time the group-commit
 * writers spent writing since the last look. Below saturation a writer waits for its next receipts (its batch
 * delay, a few ms); saturated, it finds the next batch waiting as soon as the last one committed, and writes almost
 * all the time. Every CPU-second delivery takes then is one intake does not get (measured: delivering an event
 * costs about half a receipt's intake on the same cores), so delivery holds back while this says so.
 *
 * <p>Told by the committer's threads ({@link #committed}), asked by the delivery worker's thread about once a
 * second ({@link #saturated}): each answer covers the time since the previous one.
 */
final class IntakePressure implements CommitListener {

    /**
     * Saturated at or above this share of the writers' time spent writing. With the default 5 ms batch delay a
     * writer reaches it only when its commits take 20 ms or more on average: big batches, or a starved machine.
     */
    static final double SATURATED_SHARE = 0.8;
    /**
     * Once saturated, it stays so until the share falls below this: measured at the peak, the share swings between
     * 0.6 and 1.2 from one second to the next (a commit counts in the second it ends), and each swing would start
     * delivery for a second.
     */
    static final double CALM_SHARE = 0.6;

    private final int writers;
    private final AtomicLong busyNanos = new AtomicLong();
    // Worker thread only:
    private long lastBusy;
    private long lastAt;
    private double lastShare;
    private boolean saturated;

    /** @param writers the group committer's lanes (threads writing in parallel) */
    IntakePressure(int writers, long nowNanos) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers must be at least 1, got " + writers);
        }
        this.writers = writers;
        this.lastAt = nowNanos;
    }

    @Override
    public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts,
                          List<ReceiptOutcome> matchedOrphans, long commitNanos) {
        busyNanos.addAndGet(commitNanos);
    }

    /**
     * Whether the writers were busy at least {@link #SATURATED_SHARE} of the time since the previous call (a
     * commit counts when it ends: one longer than the interval counts in full then), or, saturated at the previous
     * call, at least {@link #CALM_SHARE}.
     */
    boolean saturated(long nowNanos) {
        long busy = busyNanos.get();
        long elapsed = nowNanos - lastAt;
        if (elapsed <= 0) {
            return saturated;
        }
        lastShare = (double) (busy - lastBusy) / ((double) elapsed * writers);
        lastBusy = busy;
        lastAt = nowNanos;
        saturated = lastShare >= (saturated ? CALM_SHARE : SATURATED_SHARE);
        return saturated;
    }

    /** The share the last {@link #saturated} call found (tests, logs). */
    double lastShare() {
        return lastShare;
    }
}
