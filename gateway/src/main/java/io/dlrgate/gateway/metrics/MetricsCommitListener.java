package io.dlrgate.gateway.metrics;

import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.Finalization;
import io.dlrgate.reporting.write.ReceiptOutcome;
import java.util.List;

/**
 * Feeds the metrics from the group committer: submits by result, first finalizations by tab and cause,
 * receipts by stat and tab, orphans, duplicates,
 * late receipts, unknown stats, time to final receipt, batch size and commit time, throttled receipts. Counted
 * only once a batch is durable, so the figures match the store. Runs on the commit thread: plain loops over
 * the batch's outcomes, cached counters, no allocation beyond the loops' iterators.
 */
public final class MetricsCommitListener implements CommitListener {

    private final GatewayMetrics metrics;

    public MetricsCommitListener(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts,
                          List<ReceiptOutcome> matchedOrphans, long commitNanos) {
        for (int i = 0, n = submits.size(); i < n; i++) {
            SubmitOutcome s = submits.get(i);
            if (s.isSubmit()) {
                metrics.submit(s.carrierId(), s.kind());
            }
        }
        for (int i = 0, n = receipts.size(); i < n; i++) {
            metrics.receipt(receipts.get(i), true);
        }
        for (int i = 0, n = matchedOrphans.size(); i < n; i++) {
            metrics.receipt(matchedOrphans.get(i), false);
        }
        metrics.commit(submits.size() + receipts.size(), commitNanos);
    }

    @Override
    public void finalized(List<Finalization> finalized) {
        for (int i = 0, n = finalized.size(); i < n; i++) {
            Finalization f = finalized.get(i);
            metrics.finalized(f.carrierId(), f.tab(), f.cause());
        }
    }

    @Override
    public void suppressed(int numbers) {
        for (int i = 0; i < numbers; i++) {
            metrics.suppressionAdded();
        }
    }

    @Override
    public void failed(int receipts, int submits, Exception cause) {
        if (receipts > 0) {
            metrics.receiptsThrottled("db_error", receipts);
        }
    }

    @Override
    public void throttled(int receipts, String why) {
        metrics.receiptsThrottled(why, receipts);
    }
}
