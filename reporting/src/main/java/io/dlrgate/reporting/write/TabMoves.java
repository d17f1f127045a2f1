package io.dlrgate.reporting.write;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tab changes of one batch, gathered as the batch is applied: the moves (single sends included) told to
 * listeners once it committed, per campaign, and the report counter deltas (per campaign and per carrier) written in
 * the batch's transaction.
 */
final class TabMoves {

    private record Key(Long campaignId, Tab from, Tab to) {
    }

    private final Map<Key, int[]> moves = new HashMap<>();
    private final ReportCounters.Deltas counters = new ReportCounters.Deltas();

    /**
     * One message of {@code campaignId} (null: a single send) that {@code carrierId} took (null: none) moved
     * {@code from} -> {@code to}.
     */
    void move(Long campaignId, String carrierId, Tab from, Tab to) {
        if (from == to) {
            return;
        }
        moves.computeIfAbsent(new Key(campaignId, from, to), k -> new int[1])[0]++;
        counters.add(campaignId, carrierId, from, -1);
        counters.add(campaignId, carrierId, to, 1);
    }

    /** The deltas for the report counters, from the moves. */
    ReportCounters.Deltas counters() {
        return counters;
    }

    List<TabMove> list() {
        List<TabMove> out = new ArrayList<>(moves.size());
        moves.forEach((k, n) -> out.add(new TabMove(k.campaignId(), k.from(), k.to(), n[0])));
        return out;
    }
}
