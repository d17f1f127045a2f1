package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.dlrgate.simulator.outcome.Stat;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one outcome of a rule: a stat ({@code DELIVRD}), {@code silence}, {@code one_part_lost}, or a mapping
 * {@code {stat, err, delay, intermediates}} / {@code {silence: true}} / {@code {submit_error: 0x0B}}.
 */
final class OutcomeReader {
    private final ScenarioNodes in;
    private final DelayReader delays;

    OutcomeReader(ScenarioNodes in, DelayReader delays) {
        this.in = in;
        this.delays = delays;
    }

    /** The outcome, or null (with a problem) when it cannot be read. */
    Scenario.Outcome outcome(JsonNode n, String path) {
        if (n.isTextual()) {
            String t = n.asText().trim();
            if (t.equalsIgnoreCase("silence")) {
                return Scenario.Outcome.SILENCE;
            }
            if (t.equalsIgnoreCase("one_part_lost")) {
                return Scenario.Outcome.ONE_PART_LOST;
            }
            Stat s = in.stat(t, path);
            return s == null ? null : new Scenario.Outcome(s, null, null, List.of(), false, 0);
        }
        if (!n.isObject()) {
            in.problem(path, "must be a stat (DELIVRD ...), 'silence', 'one_part_lost', or a mapping {stat, err, delay, intermediates}"
                    + " / {silence: true} / {submit_error: 0x0B}");
            return null;
        }
        return mapping(n, path);
    }

    private Scenario.Outcome mapping(JsonNode n, String path) {
        in.keys(n, path, "stat", "err", "delay", "intermediates", "silence", "submit_error");
        boolean silence = in.bool(n, path, "silence", false);
        int submitError = 0;
        if (n.has("submit_error")) {
            submitError = (int) in.longValue(n.get("submit_error"), path + ".submit_error", 1, 0xFFFFFFFFL);
        }
        int kinds = (n.has("stat") ? 1 : 0) + (silence ? 1 : 0) + (n.has("submit_error") ? 1 : 0);
        if (kinds != 1) {
            in.problem(path, kinds == 0 ? "needs one of stat, silence: true, submit_error"
                    : "gives more than one of stat, silence, submit_error: keep one");
            return null;
        }
        if (!n.has("stat")) {
            for (String k : silence ? List.of("err", "delay") : List.of("err", "delay", "intermediates")) {
                if (n.has(k)) {
                    in.problem(path + "." + k, "only applies to an outcome with a stat"
                            + (silence && k.equals("delay") ? " (silence has no final receipt to delay)" : ""));
                }
            }
            if (!silence) {
                return new Scenario.Outcome(null, null, null, List.of(), false, submitError);
            }
        }
        Stat stat = silence ? null : in.stat(in.scalar(n.get("stat"), path + ".stat"), path + ".stat");
        String err = n.has("err") ? err(n.get("err"), path + ".err") : null;
        Delay delay = n.has("delay") ? delays.delay(n.get("delay"), path + ".delay") : null;
        List<Scenario.Intermediate> intermediates = n.has("intermediates")
                ? intermediates(n.get("intermediates"), path + ".intermediates") : List.of();
        if (silence) {
            // e.g. {silence: true, intermediates: [ENROUTE]}: the network took it, the phone stays off
            return new Scenario.Outcome(null, null, null, intermediates, true, 0);
        }
        return stat == null ? null : new Scenario.Outcome(stat, err, delay, intermediates, false, 0);
    }

    /** The receipt's {@code err:}: a number is written with three digits, as carriers do ({@code 001}). */
    private String err(JsonNode e, String path) {
        String err = e.isIntegralNumber() ? String.format("%03d", e.asLong()) : e.asText();
        if (!err.matches("[0-9A-Za-z]{1,4}")) {
            in.problem(path, "must be 1 to 4 letters or digits (quote it: err: \"001\"), got " + ScenarioNodes.show(e));
            return null;
        }
        return err;
    }

    private List<Scenario.Intermediate> intermediates(JsonNode is, String path) {
        List<Scenario.Intermediate> intermediates = new ArrayList<>();
        if (!is.isArray()) {
            in.problem(path, "must be a list, e.g. [ENROUTE] or [{stat: ENROUTE, delay: 2h}]");
            return List.of();
        }
        for (int i = 0; i < is.size(); i++) {
            String ip = path + "[" + i + "]";
            JsonNode item = is.get(i);
            Stat s;
            Delay d = null;
            if (item.isObject()) {
                in.keys(item, ip, "stat", "delay");
                s = item.has("stat") ? in.stat(in.scalar(item.get("stat"), ip + ".stat"), ip + ".stat") : null;
                if (!item.has("stat")) {
                    in.problem(ip + ".stat", "is required");
                }
                d = item.has("delay") ? delays.delay(item.get("delay"), ip + ".delay") : null;
            } else {
                s = in.stat(item.asText(), ip);
            }
            if (s != null && s.isFinal()) {
                in.problem(ip, s + " is a final stat; intermediates are ENROUTE, ACCEPTD or UNKNOWN");
            } else if (s != null) {
                intermediates.add(new Scenario.Intermediate(s, d));
            }
        }
        return List.copyOf(intermediates);
    }
}
