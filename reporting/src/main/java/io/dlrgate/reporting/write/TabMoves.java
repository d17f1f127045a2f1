package io.dlrgate.reporting.write;

import io.dlrgate.config.Tab;
import io.dlrgate.reporting.counters.ReportCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tab changes of one batch, gathered as the batch is applied: the moves (single sends included) told to
 * listeners once it committed, and from them the campaign counter deltas written in the batch's transaction.
 */
final class TabMoves {

    private record Key(Long campaignId, Tab from, Tab to) {
    }

    private final Map<Key, int[]> moves = new HashMap<>();

    /** One message of {@code campaignId} (null: a single send) moved {@code from} -> {@code to}. */
    void move(Long campaignId, Tab from, Tab to) {
        if (from == to) {
            return;
        }
        moves.computeIfAbsent(new Key(campaignId, from, to), k -> new int[1])[0]++;
    }

    /** The deltas for the report counters, from the moves (single sends have no counters). */
    ReportCounters.Deltas counters() {
        ReportCounters.Deltas deltas = new ReportCounters.Deltas();
        moves.forEach((k, n) -> {
            deltas.add(k.campaignId(), k.from(), -n[0]);
            deltas.add(k.campaignId(), k.to(), n[0]);
        });
        return deltas;
    }

    List<TabMove> list() {
        List<TabMove> out = new ArrayList<>(moves.size());
        moves.forEach((k, n) -> out.add(new TabMove(k.campaignId(), k.from(), k.to(), n[0])));
        return out;
    }
}
