package io.dlrgate.simulator.control;

import io.dlrgate.simulator.carrier.CarrierStats;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The simulator's counters in the Prometheus text exposition format 0.0.4, written by hand (no metrics library).
 * One sample per carrier and family, label {@code carrier} = the carrier's name (never a number or message id).
 * Counters end in {@code _total}; {@code dlrgate_sim_sessions_bound} is a gauge.
 */
public final class SimMetrics {
    /** The Content-Type of the text format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private record Family(String name, String type, String help, ToLongFunction<CarrierStats> value) {}

    private static final List<Family> FAMILIES = List.of(
            new Family("dlrgate_sim_submits_received_total", "counter",
                    "submit_sm received by the simulated carrier (all sessions)", CarrierStats::submitsReceived),
            new Family("dlrgate_sim_submits_rejected_total", "counter",
                    "submit_sm answered with a non-zero command_status", CarrierStats::submitsRejected),
            new Family("dlrgate_sim_receipts_planned_total", "counter",
                    "receipts the carrier decided to send", CarrierStats::receiptsPlanned),
            new Family("dlrgate_sim_receipts_sent_total", "counter",
                    "receipt PDUs written, retries included", CarrierStats::receiptsSent),
            new Family("dlrgate_sim_receipts_acknowledged_total", "counter",
                    "receipts answered with command_status 0 (each receipt counted once)",
                    CarrierStats::receiptsAcknowledged),
            new Family("dlrgate_sim_receipts_throttled_total", "counter",
                    "receipts sent again after a retryable (throttle) answer", CarrierStats::throttledRetries),
            new Family("dlrgate_sim_receipts_refused_total", "counter",
                    "receipts answered with a non-retryable error", CarrierStats::receiptsRefused),
            new Family("dlrgate_sim_binds_total", "counter", "successful binds", CarrierStats::binds),
            new Family("dlrgate_sim_bind_failures_total", "counter", "failed bind attempts",
                    CarrierStats::bindFailures),
            new Family("dlrgate_sim_sessions_bound", "gauge", "sessions bound right now",
                    CarrierStats::boundSessions));

    private SimMetrics() {}

    /** The exposition of these carriers' counters (each labelled with its configured name). */
    public static String render(Collection<SimulatedCarrier> carriers) {
        List<String> names = new ArrayList<>();
        List<CarrierStats> stats = new ArrayList<>();
        for (SimulatedCarrier c : carriers) {
            names.add(c.config().name());
            stats.add(c.stats());
        }
        StringBuilder sb = new StringBuilder(2048);
        for (Family f : FAMILIES) {
            sb.append("# HELP ").append(f.name()).append(' ').append(f.help()).append('\n');
            sb.append("# TYPE ").append(f.name()).append(' ').append(f.type()).append('\n');
            for (int i = 0; i < names.size(); i++) {
                sb.append(f.name()).append("{carrier=\"").append(escape(names.get(i))).append("\"} ")
                        .append(String.format(Locale.ROOT, "%d", f.value().applyAsLong(stats.get(i)))).append('\n');
            }
        }
        return sb.toString();
    }

    static String escape(String labelValue) {
        return labelValue.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
