package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the {@code rules} section: each rule has an optional {@code match} and one of {@code outcome},
 * {@code sequence} (one outcome per attempt to the same number) or {@code weights}. First match wins.
 */
final class RulesReader {
    private final ScenarioNodes in;
    private final MatchReader matches;
    private final OutcomeReader outcomes;

    /** A reply is one SMS's worth of text at most: 160 GSM characters. */
    static final int MAX_REPLY_CHARS = 160;

    private final DelayReader delays;

    RulesReader(ScenarioNodes in, MatchReader matches, OutcomeReader outcomes, DelayReader delays) {
        this.delays = delays;
        this.in = in;
        this.matches = matches;
        this.outcomes = outcomes;
    }

    /** The rules, in file order; {@code campaigns} and {@code carriers} are the names a match may use. */
    List<Scenario.Rule> rules(JsonNode rs, Set<String> campaigns, Set<String> carriers) {
        List<Scenario.Rule> rules = new ArrayList<>();
        if (rs == null || rs.isNull()) {
            return List.of();
        }
        if (!rs.isArray()) {
            in.problem("rules", "must be a list of rules (first match wins)");
            return List.of();
        }
        for (int i = 0; i < rs.size(); i++) {
            Scenario.Rule r = rule(rs.get(i), "rules[" + i + "]", campaigns, carriers);
            if (r != null) {
                rules.add(r);
            }
        }
        return List.copyOf(rules);
    }

    private Scenario.Rule rule(JsonNode n, String path, Set<String> campaigns, Set<String> carriers) {
        if (!n.isObject()) {
            in.problem(path, "must be a mapping with match and one of outcome, sequence, weights");
            return null;
        }
        in.keys(n, path, "name", "match", "outcome", "sequence", "weights", "reply", "parts");
        String label = n.has("name") ? in.string(n, path, "name", false) : path;
        Scenario.Match match = Scenario.Match.ANY;
        if (n.has("match") && !n.get("match").isNull()) {
            match = matches.match(n.get("match"), path + ".match", campaigns, carriers);
        }
        int forms = (n.has("outcome") ? 1 : 0) + (n.has("sequence") ? 1 : 0) + (n.has("weights") ? 1 : 0);
        if (forms != 1) {
            in.problem(path, forms == 0 ? "needs one of outcome, sequence or weights"
                    : "gives more than one of outcome, sequence, weights: keep one");
            return null;
        }
        Scenario.Choice choice;
        if (n.has("outcome")) {
            Scenario.Outcome o = outcomes.outcome(n.get("outcome"), path + ".outcome");
            choice = o == null ? null : new Scenario.Single(o);
        } else if (n.has("sequence")) {
            choice = sequence(n.get("sequence"), path + ".sequence");
        } else {
            choice = weights(n.get("weights"), path + ".weights");
        }
        Scenario.Reply reply = n.has("reply") ? reply(n.get("reply"), path + ".reply") : null;
        Map<Integer, Scenario.Outcome> parts = n.has("parts") ? parts(n.get("parts"), path + ".parts") : Map.of();
        return choice == null ? null : new Scenario.Rule(label, match, choice, reply, parts);
    }

    /** The most parts a concatenated message can have (the UDH and SAR totals are one byte). */
    static final int MAX_PART = 255;

    /**
     * {@code parts: {2: UNDELIV, 3: silence}}: part number (1..255) to that part's outcome, a receipt state: a stat,
     * silence, or {stat, err, delay, intermediates}. Not a submit error (the part was accepted) and not
     * one_part_lost (which is about the message).
     */
    private Map<Integer, Scenario.Outcome> parts(JsonNode n, String path) {
        if (!n.isObject() || n.isEmpty()) {
            in.problem(path, "must be a mapping of part number to outcome, e.g. {2: UNDELIV}");
            return Map.of();
        }
        Map<Integer, Scenario.Outcome> parts = new TreeMap<>();
        n.fields().forEachRemaining(e -> {
            String p = path + "." + e.getKey();
            String key = e.getKey().trim();
            if (!key.matches("\\d{1,3}") || Integer.parseInt(key) < 1 || Integer.parseInt(key) > MAX_PART) {
                in.problem(p, "a part number must be 1 to " + MAX_PART + ", got '" + e.getKey() + "'");
                return;
            }
            Scenario.Outcome o = outcomes.outcome(e.getValue(), p);
            if (o == null) {
                return;
            }
            if (o.submitError() != 0 || o.onePartLost()) {
                in.problem(p, "a part's outcome is a receipt state (a stat, silence or {stat, err, delay,"
                        + " intermediates}), not " + o.describe());
                return;
            }
            parts.put(Integer.parseInt(key), o);
        });
        return parts;
    }

    /** {@code reply: {text: "STOP", after: 30s}}: the recipient answers; {@code after} defaults to the receipt delay. */
    private Scenario.Reply reply(JsonNode n, String path) {
        if (!n.isObject()) {
            in.problem(path, "must be a mapping {text: \"STOP\", after: 30s}");
            return null;
        }
        in.keys(n, path, "text", "after");
        String text = in.string(n, path, "text", true);
        if (text == null) {
            return null;
        }
        if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_REPLY_CHARS) {
            in.problem(path + ".text", "must be 1 to " + MAX_REPLY_CHARS + " characters, got "
                    + text.codePointCount(0, text.length()));
            return null;
        }
        Delay after = n.has("after") ? delays.delay(n.get("after"), path + ".after") : null;
        return new Scenario.Reply(text, after);
    }

    private Scenario.Choice sequence(JsonNode seq, String path) {
        if (!seq.isArray() || seq.isEmpty()) {
            in.problem(path, "must be a non-empty list of outcomes, one per attempt to the same number");
            return null;
        }
        List<Scenario.Outcome> os = new ArrayList<>();
        for (int i = 0; i < seq.size(); i++) {
            Scenario.Outcome o = outcomes.outcome(seq.get(i), path + "[" + i + "]");
            if (o != null) {
                os.add(o);
            }
        }
        return os.size() == seq.size() ? new Scenario.Sequence(List.copyOf(os)) : null;
    }

    private Scenario.Choice weights(JsonNode n, String path) {
        List<Scenario.Outcome> chosen = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        if (n.isObject()) {
            // shorthand: {DELIVRD: 80, UNDELIV: 20, silence: 5}
            n.fields().forEachRemaining(e -> {
                String p = path + "." + e.getKey();
                Scenario.Outcome o = outcomes.outcome(TextNode.valueOf(e.getKey()), p);
                int w = (int) in.longValue(e.getValue(), p, 0, 1_000_000);
                if (o != null) {
                    chosen.add(o);
                    weights.add(w);
                }
            });
        } else if (n.isArray()) {
            weightList(n, path, chosen, weights);
        } else {
            in.problem(path, "must be a mapping {STAT: weight} or a list of {weight, outcome}");
            return null;
        }
        if (chosen.isEmpty()) {
            in.problem(path, "names no outcome");
            return null;
        }
        if (weights.stream().mapToInt(Integer::intValue).sum() == 0) {
            in.problem(path, "weights must not all be zero");
            return null;
        }
        return new Scenario.Weighted(List.copyOf(chosen), List.copyOf(weights));
    }

    /** The long form: a list of {@code {weight: N, outcome: ...}}. */
    private void weightList(JsonNode n, String path, List<Scenario.Outcome> chosen, List<Integer> weights) {
        for (int i = 0; i < n.size(); i++) {
            JsonNode item = n.get(i);
            String p = path + "[" + i + "]";
            if (!item.isObject()) {
                in.problem(p, "must be a mapping {weight: N, outcome: ...}");
                continue;
            }
            in.keys(item, p, "weight", "outcome");
            if (!item.has("weight") || !item.has("outcome")) {
                in.problem(p, "needs both weight and outcome");
                continue;
            }
            int w = (int) in.longValue(item.get("weight"), p + ".weight", 0, 1_000_000);
            Scenario.Outcome o = outcomes.outcome(item.get("outcome"), p + ".outcome");
            if (o != null) {
                chosen.add(o);
                weights.add(w);
            }
        }
    }
}
