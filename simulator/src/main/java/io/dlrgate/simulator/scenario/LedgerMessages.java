package io.dlrgate.simulator.scenario;

import io.dlrgate.simulator.outcome.Part;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The messages of a ledger, as the gateway counts them: a whole message is its line; the parts of a concatenated
 * message (grouped by the carrier that received them into its message number) are one message whose text is the
 * parts' texts in part order and whose tab follows the gateway's documented rule over its parts' tabs
 * ({@link #tabOf}). Counts in reports are per message, so this is what verify compares.
 */
public final class LedgerMessages {
    private LedgerMessages() {
    }

    /**
     * One message of the ledger.
     *
     * @param number  the number, E.164 with '+'
     * @param content the message's text (the parts' texts joined in part order)
     * @param tab     the tab it must land in
     * @param parts   how many parts it has (1 for a whole message)
     * @param partTabs the tab of each part (part number to tab); empty for a whole message
     */
    public record Message(String carrier, String number, String content, String tab, int parts,
                         Map<Integer, String> partTabs) {
    }

    /**
     * The tab of a message from its parts' tabs, first match wins: hard-bounces when any part failed for good;
     * else deleted when any part was deleted; else soft-bounces when any part expired; else pending while any part
     * is pending (a part never received, or with no receipt, counts as pending); else delivered. Null for no parts.
     */
    public static String tabOf(Collection<String> partTabs) {
        if (partTabs.isEmpty()) {
            return null;
        }
        for (String tab : List.of("hard-bounces", "deleted", "soft-bounces", "pending")) {
            if (partTabs.contains(tab)) {
                return tab;
            }
        }
        return "delivered";
    }

    /**
     * The parts figure of some messages, as the gateway's campaign report gives it: how many were sent as parts, how
     * many parts they have, and their parts by tab (failed: hard-bounces, expired: soft-bounces; pending: the rest).
     */
    public static Map<String, Long> partFigures(Collection<Message> messages) {
        Map<String, Long> f = new LinkedHashMap<>();
        GatewayClient.PART_FIGURES.forEach(k -> f.put(k, 0L));
        for (Message m : messages) {
            if (m.partTabs().isEmpty()) {
                continue;
            }
            f.merge("messages", 1L, Long::sum);
            f.merge("total", (long) m.parts(), Long::sum);
            for (String tab : m.partTabs().values()) {
                String figure = switch (tab) {
                    case "delivered" -> "delivered";
                    case "hard-bounces" -> "failed";
                    case "deleted" -> "deleted";
                    case "soft-bounces" -> "expired";
                    default -> "pending";
                };
                f.merge(figure, 1L, Long::sum);
            }
        }
        return f;
    }

    /**
     * The ledger's messages in the order of their first line. A line with no tab (a throttled submit, sent again)
     * is no message and no part. For each part number of a message the last line counts (a part sent again after
     * a refusal or a lost answer replaces the earlier one); a part number never received makes the message pending.
     */
    public static List<Message> of(List<ScenarioRunner.LedgerLine> ledger) {
        Map<String, Object> byKey = new LinkedHashMap<>();
        int whole = 0;
        for (ScenarioRunner.LedgerLine l : ledger) {
            if (l.tab() == null) {
                continue;
            }
            Part p = l.part();
            if (p == null) {
                byKey.put("w" + whole++, l);
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<Integer, ScenarioRunner.LedgerLine> parts = (Map<Integer, ScenarioRunner.LedgerLine>) byKey
                    .computeIfAbsent(l.carrier() + '\u0000' + p.message(), k -> new TreeMap<Integer,
                            ScenarioRunner.LedgerLine>());
            ScenarioRunner.LedgerLine before = parts.get(p.number());
            if (before == null || before.ordinal() < l.ordinal()) {
                parts.put(p.number(), l);
            }
        }
        List<Message> out = new ArrayList<>(byKey.size());
        for (Object o : byKey.values()) {
            if (o instanceof ScenarioRunner.LedgerLine l) {
                out.add(new Message(l.carrier(), l.number(), l.content(), l.tab(), 1, Map.of()));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<Integer, ScenarioRunner.LedgerLine> parts = (Map<Integer, ScenarioRunner.LedgerLine>) o;
            ScenarioRunner.LedgerLine first = parts.values().iterator().next();
            int total = first.part().total();
            StringBuilder text = new StringBuilder();
            Map<Integer, String> tabs = new TreeMap<>();
            for (int n = 1; n <= total; n++) {
                ScenarioRunner.LedgerLine l = parts.get(n);
                text.append(l == null ? "" : l.content());
                tabs.put(n, l == null ? "pending" : l.tab());
            }
            out.add(new Message(first.carrier(), first.number(), text.toString(), tabOf(tabs.values()), total,
                    Map.copyOf(tabs)));
        }
        return out;
    }
}
