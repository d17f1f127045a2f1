package io.dlrgate.gateway.carriers;

import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.ReceiptOutcome;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each configured carrier's recent traffic, as stored: submits the carrier accepted and receipts it sent, per
 * second over the last minute. Counted from the committed batches (so what it shows is durable), per carrier in
 * a fixed ring of one-second slots: nothing grows, nothing is read from the store.
 */
public final class RecentActivity implements CommitListener {

    /** A carrier's last minute. */
    public record Figures(long submitsLastMinute, long receiptsLastMinute) {

        public double submitsPerSecond() {
            return (double) submitsLastMinute / PerSecondWindow.SECONDS;
        }

        public double receiptsPerSecond() {
            return (double) receiptsLastMinute / PerSecondWindow.SECONDS;
        }
    }

    private record Windows(PerSecondWindow submits, PerSecondWindow receipts) {
    }

    private final Clock clock;
    /** Configured carriers only (built once, read lock-free): a label set bounded by the config. */
    private final Map<String, Windows> byCarrier;

    public RecentActivity(List<String> carrierIds, Clock clock) {
        this.clock = clock;
        Map<String, Windows> m = new HashMap<>();
        carrierIds.forEach(id -> m.put(id, new Windows(new PerSecondWindow(), new PerSecondWindow())));
        this.byCarrier = Map.copyOf(m);
    }

    @Override
    public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts, List<ReceiptOutcome> matchedOrphans,
                          long commitNanos) {
        long now = clock.instant().getEpochSecond();
        for (int i = 0, n = submits.size(); i < n; i++) {
            SubmitOutcome s = submits.get(i);
            Windows w = s.kind() == SubmitOutcome.Kind.ACCEPTED ? byCarrier.get(s.carrierId()) : null;
            if (w != null) {
                w.submits().add(now, 1);
            }
        }
        // Counted when stored (an orphan matched later was counted when it arrived).
        for (int i = 0, n = receipts.size(); i < n; i++) {
            Windows w = byCarrier.get(receipts.get(i).carrierId());
            if (w != null) {
                w.receipts().add(now, 1);
            }
        }
    }

    /** The carrier's last minute (zeros for a carrier not configured). */
    public Figures of(String carrierId) {
        Windows w = byCarrier.get(carrierId);
        if (w == null) {
            return new Figures(0, 0);
        }
        long now = clock.instant().getEpochSecond();
        return new Figures(w.submits().lastMinute(now), w.receipts().lastMinute(now));
    }
}
