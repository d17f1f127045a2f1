package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code sends} section: campaign sends {@code {campaign, content, contacts}} and single sends
 * {@code {single: {to, content}}}. Campaigns are unique by name and by content (verify tells them apart by it).
 */
final class SendsReader {
    static final String INTERNATIONAL = "\\+\\d{6,15}";

    private final ScenarioNodes in;

    SendsReader(ScenarioNodes in) {
        this.in = in;
    }

    List<Scenario.Send> sends(JsonNode ss) {
        if (ss == null || ss.isNull()) {
            return List.of();
        }
        if (!ss.isArray()) {
            in.problem("sends", "must be a list of campaign and single sends");
            return List.of();
        }
        List<Scenario.Send> sends = new ArrayList<>();
        Set<String> campaigns = new HashSet<>();
        Set<String> contents = new HashSet<>();
        for (int i = 0; i < ss.size(); i++) {
            Scenario.Send s = send(ss.get(i), "sends[" + i + "]");
            if (s instanceof Scenario.CampaignSend c) {
                if (!campaigns.add(c.campaign())) {
                    in.problem("sends[" + i + "].campaign", "'" + c.campaign()
                            + "' is sent twice; give each campaign one send");
                }
                if (!contents.add(c.content())) {
                    in.problem("sends[" + i + "].content", "is the same as another campaign's content; "
                            + "verify tells campaigns apart by their content, so make it unique");
                }
            }
            if (s != null) {
                sends.add(s);
            }
        }
        return List.copyOf(sends);
    }

    private Scenario.Send send(JsonNode n, String path) {
        if (!n.isObject()) {
            in.problem(path, "must be a mapping: {campaign, content, contacts} or {single: {to, content}}");
            return null;
        }
        if (n.has("single")) {
            in.keys(n, path, "single");
            return single(n.get("single"), path + ".single");
        }
        in.keys(n, path, "campaign", "content", "contacts", "validity", "wait_until_final");
        Long validity = validity(n, path);
        boolean wait = in.bool(n, path, "wait_until_final", false);
        String campaign = in.string(n, path, "campaign", true);
        String content = in.string(n, path, "content", true);
        String cp = path + ".contacts";
        List<String> contacts = contacts(n.get("contacts"), cp);
        for (String number : contacts) {
            if (!number.matches(INTERNATIONAL)) {
                in.problem(cp, "'" + number + "' must be an international number: '+' then 6 to 15 digits");
                break;
            }
        }
        return campaign == null || content == null ? null
                : new Scenario.CampaignSend(campaign, content, List.copyOf(contacts), validity, wait);
    }

    private Scenario.Send single(JsonNode s, String sp) {
        if (!s.isObject()) {
            in.problem(sp, "must be a mapping {to, content}");
            return null;
        }
        in.keys(s, sp, "to", "content", "validity", "wait_until_final");
        String to = in.string(s, sp, "to", true);
        String content = in.string(s, sp, "content", true);
        if (to != null && !to.matches(INTERNATIONAL)) {
            in.problem(sp + ".to", "'" + to + "' must be an international number: '+' then 6 to 15 digits");
        }
        Long validity = validity(s, sp);
        boolean wait = in.bool(s, sp, "wait_until_final", false);
        return to == null || content == null ? null : new Scenario.SingleSend(to, content, validity, wait);
    }

    /** A list of numbers, or {@code {prefix, count, width, from}} for numbered contacts. */
    private List<String> contacts(JsonNode c, String cp) {
        List<String> contacts = new ArrayList<>();
        if (c == null) {
            in.problem(cp, "is required: a list of numbers or {prefix, count, width}");
        } else if (c.isArray()) {
            contacts.addAll(in.stringList(c, cp));
        } else if (c.isObject()) {
            numbered(c, cp, contacts);
        } else {
            in.problem(cp, "must be a list of numbers or {prefix, count, width}");
        }
        return contacts;
    }

    private void numbered(JsonNode c, String cp, List<String> contacts) {
        in.keys(c, cp, "prefix", "count", "width", "from");
        String prefix = in.string(c, cp, "prefix", true);
        int count = c.has("count") ? (int) in.longValue(c.get("count"), cp + ".count", 1, 1_000_000) : 0;
        if (!c.has("count")) {
            in.problem(cp + ".count", "is required");
        }
        int width = c.has("width") ? (int) in.longValue(c.get("width"), cp + ".width", 1, 12) : 6;
        long from = c.has("from") ? in.longValue(c.get("from"), cp + ".from", 0, Long.MAX_VALUE) : 0;
        if (prefix != null && count > 0) {
            if (String.valueOf(from + count - 1).length() > width) {
                in.problem(cp + ".width", width + " digits cannot hold " + count + " numbers from " + from);
            } else {
                for (long i = from; i < from + count; i++) {
                    contacts.add(prefix + String.format("%0" + width + "d", i));
                }
            }
        }
    }

    /** {@code validity}: a duration of at least 1s (sent to the gateway as ISO-8601, e.g. PT3S), or null. */
    private Long validity(JsonNode n, String path) {
        if (!n.has("validity") || n.get("validity").isNull()) {
            return null;
        }
        long v = in.duration(n.get("validity"), path + ".validity");
        if (v < 1000) {
            in.problem(path + ".validity", "must be at least 1s, got " + v + " ms");
            return null;
        }
        return v;
    }
}
