package io.dlrgate.reporting.write;

import io.dlrgate.reporting.message.SubmitOutcome;
import java.util.List;

/**
 * Told after each committed batch (metrics, live report updates). Called on each lane's committer thread, so one
 * listener hears several threads: be thread-safe and quick.
 */
public interface CommitListener {

    void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts, List<ReceiptOutcome> matchedOrphans,
                   long commitNanos);

    /** The tab changes of the batch just reported committed, per campaign and pair of tabs (only called when any). */
    default void tabsMoved(List<TabMove> moves) {
    }

    /**
     * The messages the batch just reported committed made final for the first time, with the cause (only called
     * when any). The gateway's own expiry is not a batch: its sweeper tells its own listener.
     */
    default void finalized(List<Finalization> finalized) {
    }

    /** The batch just reported committed put this many numbers on the suppressed list (only called when > 0). */
    default void suppressed(int numbers) {
    }

    /** A batch failed; its receipts were answered with the temporary error. */
    default void failed(int receipts, int submits, Exception cause) {
    }

    /** Receipts answered with the temporary error without trying: queue full or waited too long. */
    default void throttled(int receipts, String why) {
    }
}
