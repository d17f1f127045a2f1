package io.dlrgate.gateway.webhooks;

import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.ReceiptOutcome;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Whether receipt intake is saturated, for webhook delivery to yield to it. Every CPU-second delivery takes then is
 * one intake does not get (measured: delivering an event costs a quarter to a third of a receipt's intake on the
 * same cores), so delivery holds back while this says so. Two signs, either is enough:
 *
 * <ul>
 *   <li><b>The writers are busy</b>: the share of time the group-commit writers spent writing since the last look.
 *       Below saturation a writer waits for its next receipts (its batch delay, a few ms); writer-bound, it finds the
 *       next batch waiting as soon as the last one committed, and writes almost all the time.</li>
 *   <li><b>The batches are large</b>: the receipts per committed batch since the last look. When the machine's CPU
 *       is the limit rather than the writers (the sessions' threads, the database and the writers all want more than
 *       the cores give), the writers are not busy all the time, but the carriers' receipts pile up in the gateway:
 *       each batch takes all that gathered while the previous one committed. Measured on the 2-core bench machine:
 *       30-50 receipts a batch at 5,000 receipts/s, 100-270 at the peak (6,000-9,600/s in that run). A second
 *       with no batch committed is idle, not saturated.</li>
 * </ul>
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
    /**
     * Saturated when the batches of the last look held this many receipts on average (or were full, when
     * {@code receipts.batch_size} is smaller): twice what 5,000 receipts/s gather on the bench machine.
     */
    static final int LARGE_BATCH = 100;
    /** Once saturated, it stays so while the batches hold this many on average (the same hysteresis as the share). */
    static final int CALM_BATCH = 70;

    private final int writers;
    private final int largeBatch;
    private final int calmBatch;
    private final AtomicLong busyNanos = new AtomicLong();
    /** Batches that held receipts, and their receipts. */
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong batchedReceipts = new AtomicLong();
    // Worker thread only:
    private long lastBusy;
    private long lastBatches;
    private long lastBatchedReceipts;
    private double lastBatchSize;
    private long lastAt;
    private double lastShare;
    private boolean saturated;

    /**
     * @param writers   the group committer's lanes (threads writing in parallel)
     * @param batchSize {@code receipts.batch_size}: a batch holds at most this many
     */
    IntakePressure(int writers, int batchSize, long nowNanos) {
        if (writers < 1) {
            throw new IllegalArgumentException("writers must be at least 1, got " + writers);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.writers = writers;
        this.largeBatch = Math.min(LARGE_BATCH, batchSize);
        this.calmBatch = Math.max(1, Math.min(CALM_BATCH, batchSize * CALM_BATCH / LARGE_BATCH));
        this.lastAt = nowNanos;
    }

    @Override
    public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts,
                          List<ReceiptOutcome> matchedOrphans, long commitNanos) {
        busyNanos.addAndGet(commitNanos);
        if (!receipts.isEmpty()) {
            batchedReceipts.addAndGet(receipts.size());
            batches.incrementAndGet();
        }
    }

    /**
     * Whether, since the previous call, the writers were busy at least {@link #SATURATED_SHARE} of the time (a
     * commit counts when it ends: one longer than the interval counts in full then) or their batches held
     * {@link #LARGE_BATCH} receipts on average; saturated at the previous call, {@link #CALM_SHARE} or
     * {@link #CALM_BATCH} is enough to stay so.
     */
    boolean saturated(long nowNanos) {
        long busy = busyNanos.get();
        long elapsed = nowNanos - lastAt;
        if (elapsed <= 0) {
            return saturated;
        }
        // A batch told in between may count in this look and its receipts in the next (or the other way): noise.
        long received = batchedReceipts.get();
        long committed = batches.get();
        lastShare = (double) (busy - lastBusy) / ((double) elapsed * writers);
        lastBatchSize = committed == lastBatches ? 0
                : (double) (received - lastBatchedReceipts) / (committed - lastBatches);
        lastBusy = busy;
        lastBatches = committed;
        lastBatchedReceipts = received;
        lastAt = nowNanos;
        saturated = saturated
                ? lastShare >= CALM_SHARE || lastBatchSize >= calmBatch
                : lastShare >= SATURATED_SHARE || lastBatchSize >= largeBatch;
        return saturated;
    }

    /** The share the last {@link #saturated} call found (tests, logs). */
    double lastShare() {
        return lastShare;
    }

    /** The receipts per batch the last {@link #saturated} call found, 0 when no batch committed (tests, logs). */
    double lastBatchSize() {
        return lastBatchSize;
    }
}
