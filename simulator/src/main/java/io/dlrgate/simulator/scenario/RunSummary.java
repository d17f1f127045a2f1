package io.dlrgate.simulator.scenario;

import io.dlrgate.simulator.carrier.CarrierStats;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulated carriers did in a run, from their ledger and counters, for a user with no gateway report to
 * compare (their own ESME against the simulated SMSC): per carrier, the binds, the submits and how each was
 * answered, the messages by final stat and by the tab they must land in, the receipts and the faults that fired.
 */
public final class RunSummary {
    private RunSummary() {
    }

    public static String text(ScenarioRunner runner) {
        List<ScenarioRunner.LedgerLine> ledger = runner.ledger();
        StringBuilder sb = new StringBuilder("summary of scenario ").append(runner.scenario().name())
                .append(" (").append(runner.role().name().toLowerCase(Locale.ROOT)).append(" role, seed ")
                .append(runner.scenario().seed()).append(")\n");
        for (Map.Entry<String, SimulatedCarrier> e : runner.carriers().entrySet()) {
            String id = e.getKey();
            SimulatedCarrier c = e.getValue();
            CarrierStats st = c.stats();
            SimulatedCarrier.SmscCounts f = c.smscCounts();
            Map<String, Long> answers = new TreeMap<>();
            Map<String, Long> stats = new TreeMap<>();
            Map<String, Long> tabs = new TreeMap<>();
            long accepted = 0;
            for (ScenarioRunner.LedgerLine l : ledger) {
                if (!l.carrier().equals(id)) {
                    continue;
                }
                answers.merge(status(l.submitStatus()), 1L, Long::sum);
                if (l.submitStatus() == 0) {
                    accepted++;
                    stats.merge(l.finalStat() == null ? "(no final receipt)" : l.finalStat(), 1L, Long::sum);
                }
                if (l.tab() != null) {
                    tabs.merge(l.tab(), 1L, Long::sum);
                }
            }
            sb.append(String.format(Locale.ROOT, "carrier %s (system_id %s): binds %d, refused %d, bound now %d%n",
                    id, c.config().systemId(), st.binds(), st.bindFailures(), st.boundSessions()));
            sb.append(String.format(Locale.ROOT, "  submit_sm %d, answered %s; messages accepted %d%n",
                    st.submitsReceived(), answers, accepted));
            sb.append("  final stats ").append(stats).append("; tabs ").append(tabs).append('\n');
            sb.append(String.format(Locale.ROOT, "  receipts planned %d, sent %d (retries included), acknowledged %d,"
                            + " refused %d, outstanding %d%n", st.receiptsPlanned(), st.receiptsSent(),
                    st.receiptsAcknowledged(), st.receiptsRefused(), st.receiptsOutstanding()));
            if (f.bindsRefused() + f.rateThrottled() + f.holdFull() + f.lateAnswers() + f.connectionsDropped() > 0) {
                sb.append(String.format(Locale.ROOT, "  faults: binds refused %d, throttled by rate %d, hold full %d,"
                                + " late answers %d, connections dropped %d%n", f.bindsRefused(), f.rateThrottled(),
                        f.holdFull(), f.lateAnswers(), f.connectionsDropped()));
            }
        }
        return sb.toString();
    }

    private static String status(int s) {
        return switch (s) {
            case 0 -> "OK";
            case 0x58 -> "ESME_RTHROTTLED";
            case 0x14 -> "ESME_RMSGQFUL";
            default -> String.format(Locale.ROOT, "0x%02X", s);
        };
    }
}
