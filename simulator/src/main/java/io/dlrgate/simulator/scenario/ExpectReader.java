package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads the {@code expect} section: tab counts per campaign and the numbers that must end up suppressed. */
final class ExpectReader {
    private final ScenarioNodes in;

    ExpectReader(ScenarioNodes in) {
        this.in = in;
    }

    /** {@code campaigns}: the names this file's sends define (expectations may name no other). */
    Scenario.Expectations expectations(JsonNode n, Set<String> campaigns) {
        if (n == null || n.isNull()) {
            return Scenario.Expectations.NONE;
        }
        if (!n.isObject()) {
            in.problem("expect", "must be a mapping (campaigns, suppressed)");
            return Scenario.Expectations.NONE;
        }
        in.keys(n, "expect", "campaigns", "suppressed");
        Map<String, Map<String, Long>> tabs = new LinkedHashMap<>();
        if (n.has("campaigns")) {
            JsonNode cs = n.get("campaigns");
            if (!cs.isObject()) {
                in.problem("expect.campaigns", "must be a mapping of campaign name to tab counts");
            } else {
                cs.fields().forEachRemaining(e -> campaign(e.getKey(), e.getValue(), campaigns, tabs));
            }
        }
        List<String> suppressed = n.has("suppressed") ? in.stringList(n.get("suppressed"), "expect.suppressed") : List.of();
        for (int i = 0; i < suppressed.size(); i++) {
            // the gateway lists suppressed numbers in E.164: a national number could never match, verify would fail
            if (!suppressed.get(i).matches(SendsReader.INTERNATIONAL)) {
                in.problem("expect.suppressed[" + i + "]", "'" + suppressed.get(i)
                        + "' must be an international number: '+' then 6 to 15 digits");
            }
        }
        return new Scenario.Expectations(tabs, List.copyOf(suppressed));
    }

    private void campaign(String name, JsonNode counts, Set<String> campaigns, Map<String, Map<String, Long>> tabs) {
        String p = "expect.campaigns." + name;
        if (!campaigns.contains(name)) {
            in.problem(p, "'" + name + "' is not a campaign of this file's sends " + campaigns);
        }
        if (!counts.isObject()) {
            in.problem(p, "must be a mapping of tab to count, e.g. {delivered: 100, hard-bounces: 3}");
            return;
        }
        Map<String, Long> byTab = new LinkedHashMap<>();
        counts.fields().forEachRemaining(t -> {
            String tab = in.tab(TextNode.valueOf(t.getKey()), p + "." + t.getKey());
            long v = in.longValue(t.getValue(), p + "." + t.getKey(), 0, Long.MAX_VALUE);
            if (tab != null) {
                byTab.put(tab, v);
            }
        });
        tabs.put(name, byTab);
    }
}
