package io.dlrgate.simulator.scenario;

import com.cloudhopper.smpp.SmppBindType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.Problems;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads and validates a scenario file. Fails fast and completely: every problem found is reported at once,
 * one per line, as {@code FILE: KEY.PATH: what is wrong} (for example
 * {@code five-tabs.yaml: rules[2].weights.DELIVERED: unknown stat 'DELIVERED', expected one of ...}).
 * Unknown keys are errors, so a typo never silently changes a scenario.
 */
public final class ScenarioLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String source;
    private final Path baseDir;
    private final Problems problems = new Problems();

    private ScenarioLoader(String source, Path baseDir) {
        this.source = source;
        this.baseDir = baseDir;
    }

    /** Loads a scenario file; {@code numbers_file} paths are relative to its directory. */
    public static Scenario load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException(List.of(file + ": cannot read the scenario file: " + e.getMessage()));
        }
        Path dir = file.toAbsolutePath().getParent();
        return fromYaml(text, file.getFileName().toString(), dir);
    }

    public static Scenario fromYaml(String yaml, String sourceName, Path baseDir) {
        ScenarioLoader l = new ScenarioLoader(sourceName, baseDir);
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ")";
            throw new ScenarioException(List.of(sourceName + ": not valid YAML: " + e.getOriginalMessage() + where));
        }
        Scenario s = l.scenario(root);
        if (!l.problems.isEmpty()) {
            throw new ScenarioException(l.problems.all().stream()
                    .map(p -> sourceName + ": " + p.keyPath() + ": " + p.message()).toList());
        }
        return s;
    }

    // ------------------------------------------------------------------ top level

    private Scenario scenario(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            problem("(file)", "is empty: a scenario needs at least carriers and sends or rules");
            return null;
        }
        if (!root.isObject()) {
            problem("(file)", "must be a mapping of keys (name, seed, carriers, rules, sends, expect)");
            return null;
        }
        keys(root, "", "name", "seed", "time_scale", "timeout", "stat_tabs", "carriers", "rules", "sends", "expect");
        String name = string(root, "", "name", false);
        long seed = root.has("seed") ? longValue(root.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1L;
        double timeScale = 1.0;
        if (root.has("time_scale")) {
            JsonNode n = root.get("time_scale");
            if (!n.isNumber() || n.asDouble() <= 0 || n.asDouble() > 1000) {
                problem("time_scale", "must be a number above 0 and at most 1000, got " + show(n));
            } else {
                timeScale = n.asDouble();
            }
        }
        long timeout = root.has("timeout") ? duration(root.get("timeout"), "timeout") : 120_000L;
        Map<Stat, String> statTabs = new LinkedHashMap<>(Scenario.DEFAULT_STAT_TABS);
        if (root.has("stat_tabs")) {
            JsonNode st = root.get("stat_tabs");
            if (!st.isObject()) {
                problem("stat_tabs", "must be a mapping of stat to tab, e.g. {DELETED: deleted}");
            } else {
                st.fields().forEachRemaining(e -> {
                    Stat stat = stat(e.getKey(), "stat_tabs." + e.getKey());
                    String tab = tab(e.getValue(), "stat_tabs." + e.getKey());
                    if (stat != null && tab != null) {
                        statTabs.put(stat, tab);
                    }
                });
            }
        }

        List<Scenario.Carrier> carriers = new ArrayList<>();
        JsonNode cs = root.get("carriers");
        if (cs == null || cs.isNull()) {
            problem("carriers", "is required: list the carriers to simulate");
        } else if (!cs.isArray() || cs.isEmpty()) {
            problem("carriers", "must be a non-empty list of carriers");
        } else {
            Set<String> ids = new HashSet<>();
            Set<String> systemIds = new HashSet<>();
            for (int i = 0; i < cs.size(); i++) {
                Scenario.Carrier c = carrier(cs.get(i), "carriers[" + i + "]");
                if (c != null) {
                    if (!ids.add(c.id())) {
                        problem("carriers[" + i + "].id", "'" + c.id() + "' is used by another carrier already");
                    }
                    if (!systemIds.add(c.systemId())) {
                        problem("carriers[" + i + "].system_id", "'" + c.systemId()
                                + "' is used by another carrier already");
                    }
                    carriers.add(c);
                }
            }
        }

        List<Scenario.Send> sends = new ArrayList<>();
        JsonNode ss = root.get("sends");
        if (ss != null && !ss.isNull()) {
            if (!ss.isArray()) {
                problem("sends", "must be a list of campaign and single sends");
            } else {
                Set<String> campaigns = new HashSet<>();
                Set<String> contents = new HashSet<>();
                for (int i = 0; i < ss.size(); i++) {
                    Scenario.Send s = send(ss.get(i), "sends[" + i + "]");
                    if (s instanceof Scenario.CampaignSend c) {
                        if (!campaigns.add(c.campaign())) {
                            problem("sends[" + i + "].campaign", "'" + c.campaign()
                                    + "' is sent twice; give each campaign one send");
                        }
                        if (!contents.add(c.content())) {
                            problem("sends[" + i + "].content", "is the same as another campaign's content; "
                                    + "verify tells campaigns apart by their content, so make it unique");
                        }
                    }
                    if (s != null) {
                        sends.add(s);
                    }
                }
            }
        }

        Set<String> campaignNames = new HashSet<>();
        sends.forEach(s -> {
            if (s instanceof Scenario.CampaignSend c) {
                campaignNames.add(c.campaign());
            }
        });
        Set<String> carrierIds = new HashSet<>();
        carriers.forEach(c -> carrierIds.add(c.id()));

        List<Scenario.Rule> rules = new ArrayList<>();
        JsonNode rs = root.get("rules");
        if (rs != null && !rs.isNull()) {
            if (!rs.isArray()) {
                problem("rules", "must be a list of rules (first match wins)");
            } else {
                for (int i = 0; i < rs.size(); i++) {
                    Scenario.Rule r = rule(rs.get(i), "rules[" + i + "]", campaignNames, carrierIds);
                    if (r != null) {
                        rules.add(r);
                    }
                }
            }
        }

        Scenario.Expectations expect = Scenario.Expectations.NONE;
        if (root.has("expect") && !root.get("expect").isNull()) {
            expect = expectations(root.get("expect"), campaignNames);
        }
        return new Scenario(name == null ? source : name, seed, timeScale, timeout, List.copyOf(carriers),
                List.copyOf(rules), List.copyOf(sends), expect, Map.copyOf(statTabs));
    }

    // ------------------------------------------------------------------ carriers

    private Scenario.Carrier carrier(JsonNode n, String path) {
        if (!n.isObject()) {
            problem(path, "must be a mapping with at least id, system_id and password");
            return null;
        }
        keys(n, path, "id", "system_id", "password", "bind_type", "sessions", "window", "prefixes", "receipt_delay",
                "dialect", "faults");
        String id = string(n, path, "id", true);
        if (id != null && !id.matches("[A-Za-z0-9_.-]{1,64}")) {
            problem(path + ".id", "must be 1..64 letters, digits, '_', '.' or '-', got '" + id + "'");
        }
        String systemId = n.has("system_id") ? string(n, path, "system_id", true) : id;
        if (systemId != null && (systemId.isEmpty() || systemId.length() > 15 || systemId.contains(" "))) {
            problem(path + ".system_id", "must be 1..15 characters without spaces (SMPP 3.4), got '" + systemId + "'");
        }
        String password = string(n, path, "password", true);
        if (password != null && password.length() > 8) {
            problem(path + ".password", "must be at most 8 characters (SMPP 3.4)");
        }
        List<SmppBindType> bindTypes = List.of(SmppBindType.TRANSCEIVER);
        if (n.has("bind_type")) {
            bindTypes = bindTypes(n.get("bind_type"), path + ".bind_type");
        }
        int sessions = n.has("sessions") ? (int) longValue(n.get("sessions"), path + ".sessions", 1, 64) : 1;
        int window = n.has("window") ? (int) longValue(n.get("window"), path + ".window", 1, 10_000) : 50;
        List<String> prefixes = new ArrayList<>();
        if (n.has("prefixes")) {
            for (String p : stringList(n.get("prefixes"), path + ".prefixes")) {
                if (!p.matches("\\+\\d{1,15}")) {
                    problem(path + ".prefixes", "'" + p + "' must be '+' then 1 to 15 digits, e.g. +44");
                } else {
                    prefixes.add(p);
                }
            }
        }
        Delay receiptDelay = n.has("receipt_delay") ? delay(n.get("receipt_delay"), path + ".receipt_delay")
                : new Delay.Uniform(50, 500);

        IdFormat idFormat = IdFormat.DECIMAL;
        ReceiptDialect dialect = ReceiptDialect.STANDARD;
        if (n.has("dialect")) {
            JsonNode d = n.get("dialect");
            String dp = path + ".dialect";
            if (!d.isObject()) {
                problem(dp, "must be a mapping (id_format, id_in_text, labels, submitdate_without_space, "
                        + "date_digits, tlvs, network_error, pdu, text_in_payload, esm_class, time_zone)");
            } else {
                keys(d, dp, "id_format", "id_in_text", "labels", "submitdate_without_space", "date_digits", "tlvs",
                        "network_error", "pdu", "text_in_payload", "esm_class", "time_zone");
                if (d.has("id_format")) {
                    String v = scalar(d.get("id_format"), dp + ".id_format");
                    if (v != null) {
                        try {
                            idFormat = IdFormat.parse(v);
                        } catch (IllegalArgumentException e) {
                            problem(dp + ".id_format", e.getMessage());
                        }
                    }
                }
                ReceiptDialect.IdStyle idStyle = enumValue(d, dp, "id_in_text", ReceiptDialect.IdStyle.class,
                        ReceiptDialect.IdStyle.AS_ISSUED);
                ReceiptDialect.LabelCase labels = enumValue(d, dp, "labels", ReceiptDialect.LabelCase.class,
                        ReceiptDialect.LabelCase.LOWER);
                ReceiptDialect.NetworkErrorStyle nes = enumValue(d, dp, "network_error",
                        ReceiptDialect.NetworkErrorStyle.class, ReceiptDialect.NetworkErrorStyle.BINARY);
                boolean noSpace = bool(d, dp, "submitdate_without_space", false);
                boolean tlvs = bool(d, dp, "tlvs", true);
                boolean inPayload = bool(d, dp, "text_in_payload", false);
                int dateDigits = 10;
                if (d.has("date_digits")) {
                    dateDigits = (int) longValue(d.get("date_digits"), dp + ".date_digits", 10, 14);
                    if (dateDigits != 10 && dateDigits != 12 && dateDigits != 14) {
                        problem(dp + ".date_digits", "must be 10, 12 or 14, got " + dateDigits);
                        dateDigits = 10;
                    }
                }
                boolean dataSm = false;
                if (d.has("pdu")) {
                    String v = scalar(d.get("pdu"), dp + ".pdu");
                    if ("data_sm".equals(v)) {
                        dataSm = true;
                    } else if (v != null && !"deliver_sm".equals(v)) {
                        problem(dp + ".pdu", "must be deliver_sm or data_sm, got '" + v + "'");
                    }
                }
                byte esm = ReceiptDialect.ESM_RECEIPT;
                if (d.has("esm_class")) {
                    long v = longValue(d.get("esm_class"), dp + ".esm_class", 0, 255);
                    if (v != 0x04 && v != 0x44) {
                        problem(dp + ".esm_class", "must be 0x04 or 0x44 (receipt, with the UDHI bit), got " + v);
                    } else {
                        esm = (byte) v;
                    }
                }
                ZoneId zone = java.time.ZoneOffset.UTC;
                if (d.has("time_zone")) {
                    String v = scalar(d.get("time_zone"), dp + ".time_zone");
                    try {
                        zone = v == null ? zone : ZoneId.of(v);
                    } catch (DateTimeException e) {
                        problem(dp + ".time_zone", "'" + v + "' is not a time zone (Europe/London, UTC, +02:00)");
                    }
                }
                dialect = ReceiptDialect.STANDARD.withIdStyle(idStyle).withLabels(labels).withNetworkErrorStyle(nes)
                        .withSubmitDateWithoutSpace(noSpace).withTlvs(tlvs).withTextInPayload(inPayload)
                        .withDateDigits(dateDigits).withDataSm(dataSm).withReceiptEsmClass(esm).withZone(zone);
                if (idFormat == IdFormat.UUID && idStyle != ReceiptDialect.IdStyle.AS_ISSUED) {
                    problem(dp + ".id_in_text", "must be as_issued with id_format uuid (a UUID has no number)");
                }
            }
        }

        double throttle = 0;
        double duplicates = 0;
        long dropEvery = 0;
        int dropTimes = 0;
        Scenario.Faults more = Scenario.Faults.NONE;
        if (n.has("faults")) {
            JsonNode f = n.get("faults");
            String fp = path + ".faults";
            if (!f.isObject()) {
                problem(fp, "must be a mapping (throttle, duplicates, drop_binds, receipts_first, unknown_ids, "
                        + "malformed, unanswered_enquire_links, slow_reading)");
            } else {
                keys(f, fp, "throttle", "duplicates", "drop_binds", "receipts_first", "unknown_ids", "malformed",
                        "unanswered_enquire_links", "slow_reading");
                throttle = f.has("throttle") ? share(f.get("throttle"), fp + ".throttle") : 0;
                duplicates = f.has("duplicates") ? share(f.get("duplicates"), fp + ".duplicates") : 0;
                double early = f.has("receipts_first") ? share(f.get("receipts_first"), fp + ".receipts_first") : 0;
                double unknown = f.has("unknown_ids") ? share(f.get("unknown_ids"), fp + ".unknown_ids") : 0;
                double malformed = f.has("malformed") ? share(f.get("malformed"), fp + ".malformed") : 0;
                boolean ignoreEnquire = bool(f, fp, "unanswered_enquire_links", false);
                long pause = 0;
                long every = 0;
                if (f.has("slow_reading")) {
                    JsonNode sr = f.get("slow_reading");
                    String srp = fp + ".slow_reading";
                    if (!sr.isObject()) {
                        problem(srp, "must be a mapping {pause: DURATION, every: DURATION}, e.g. {pause: 300ms, every: 1s}");
                    } else {
                        keys(sr, srp, "pause", "every");
                        if (!sr.has("pause") || !sr.has("every")) {
                            problem(srp, "needs both pause and every");
                        } else {
                            pause = duration(sr.get("pause"), srp + ".pause");
                            every = duration(sr.get("every"), srp + ".every");
                            if (pause <= 0) {
                                problem(srp + ".pause", "must be above 0");
                            } else if (every <= pause) {
                                problem(srp + ".every", "must be longer than the pause (" + pause + " ms)");
                                pause = 0;
                                every = 0;
                            } else if (pause > 5_000) {
                                problem(srp + ".pause", "must be at most 5s (longer pauses run into the request "
                                        + "timeouts of both sides and just drop the bind: use drop_binds for that)");
                                pause = 0;
                                every = 0;
                            }
                        }
                    }
                }
                more = new Scenario.Faults(early, unknown, malformed, ignoreEnquire, pause, every);
                if (f.has("drop_binds")) {
                    JsonNode db = f.get("drop_binds");
                    String dbp = fp + ".drop_binds";
                    if (!db.isObject()) {
                        problem(dbp, "must be a mapping {every: DURATION, times: N}");
                    } else {
                        keys(db, dbp, "every", "times");
                        if (!db.has("every")) {
                            problem(dbp + ".every", "is required: how often the binds drop, e.g. 3s");
                        } else {
                            dropEvery = duration(db.get("every"), dbp + ".every");
                        }
                        dropTimes = db.has("times") ? (int) longValue(db.get("times"), dbp + ".times", 1, 1000) : 3;
                    }
                }
            }
        }
        if (id == null || systemId == null || password == null) {
            return null;
        }
        return new Scenario.Carrier(id, systemId, password, bindTypes, sessions, window, List.copyOf(prefixes),
                receiptDelay, idFormat, dialect, throttle, duplicates, dropEvery, dropTimes, more);
    }

    private List<SmppBindType> bindTypes(JsonNode n, String path) {
        List<String> names = n.isArray() ? stringList(n, path) : List.of(n.asText());
        List<SmppBindType> out = new ArrayList<>();
        for (String s : names) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "transceiver" -> out.add(SmppBindType.TRANSCEIVER);
                case "transmitter" -> out.add(SmppBindType.TRANSMITTER);
                case "receiver" -> out.add(SmppBindType.RECEIVER);
                default -> problem(path, "'" + s + "' must be transceiver, transmitter or receiver");
            }
        }
        if (!out.isEmpty() && out.stream().noneMatch(t -> t != SmppBindType.RECEIVER)) {
            problem(path, "needs a transceiver or transmitter bind: receipts travel carrier to gateway");
        }
        if (!out.isEmpty() && out.stream().noneMatch(t -> t != SmppBindType.TRANSMITTER)) {
            problem(path, "needs a transceiver or receiver bind: submits travel gateway to carrier");
        }
        return out.isEmpty() ? List.of(SmppBindType.TRANSCEIVER) : out;
    }

    // ------------------------------------------------------------------ rules and outcomes

    private Scenario.Rule rule(JsonNode n, String path, Set<String> campaigns, Set<String> carriers) {
        if (!n.isObject()) {
            problem(path, "must be a mapping with match and one of outcome, sequence, weights");
            return null;
        }
        keys(n, path, "name", "match", "outcome", "sequence", "weights");
        String label = n.has("name") ? string(n, path, "name", false) : path;
        Scenario.Match match = Scenario.Match.ANY;
        if (n.has("match") && !n.get("match").isNull()) {
            match = match(n.get("match"), path + ".match", campaigns, carriers);
        }
        int forms = (n.has("outcome") ? 1 : 0) + (n.has("sequence") ? 1 : 0) + (n.has("weights") ? 1 : 0);
        if (forms != 1) {
            problem(path, forms == 0 ? "needs one of outcome, sequence or weights"
                    : "gives more than one of outcome, sequence, weights: keep one");
            return null;
        }
        Scenario.Choice choice;
        if (n.has("outcome")) {
            Scenario.Outcome o = outcome(n.get("outcome"), path + ".outcome");
            choice = o == null ? null : new Scenario.Single(o);
        } else if (n.has("sequence")) {
            JsonNode seq = n.get("sequence");
            if (!seq.isArray() || seq.isEmpty()) {
                problem(path + ".sequence", "must be a non-empty list of outcomes, one per attempt to the same number");
                return null;
            }
            List<Scenario.Outcome> os = new ArrayList<>();
            for (int i = 0; i < seq.size(); i++) {
                Scenario.Outcome o = outcome(seq.get(i), path + ".sequence[" + i + "]");
                if (o != null) {
                    os.add(o);
                }
            }
            choice = os.size() == seq.size() ? new Scenario.Sequence(List.copyOf(os)) : null;
        } else {
            choice = weights(n.get("weights"), path + ".weights");
        }
        return choice == null ? null : new Scenario.Rule(label, match, choice);
    }

    private Scenario.Match match(JsonNode n, String path, Set<String> campaigns, Set<String> carriers) {
        if (!n.isObject()) {
            problem(path, "must be a mapping (number, numbers, numbers_file, number_prefix, number_regex, "
                    + "content_contains, content_regex, campaign, carrier)");
            return Scenario.Match.ANY;
        }
        keys(n, path, "number", "numbers", "numbers_file", "number_prefix", "number_regex", "content_contains",
                "content_regex", "campaign", "carrier");
        List<String> numbers = new ArrayList<>();
        if (n.has("number")) {
            String v = string(n, path, "number", true);
            if (v != null) {
                numbers.add(number(v, path + ".number"));
            }
        }
        if (n.has("numbers")) {
            for (String v : stringList(n.get("numbers"), path + ".numbers")) {
                numbers.add(number(v, path + ".numbers"));
            }
        }
        if (n.has("numbers_file")) {
            String f = string(n, path, "numbers_file", true);
            if (f != null) {
                Path file = baseDir == null ? Path.of(f) : baseDir.resolve(f);
                try {
                    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                        String t = line.strip();
                        if (!t.isEmpty() && !t.startsWith("#")) {
                            numbers.add(number(t, path + ".numbers_file"));
                        }
                    }
                } catch (IOException e) {
                    problem(path + ".numbers_file", "cannot read '" + file + "': " + e.getMessage());
                }
            }
        }
        List<String> prefixes = new ArrayList<>();
        if (n.has("number_prefix")) {
            JsonNode p = n.get("number_prefix");
            for (String v : p.isArray() ? stringList(p, path + ".number_prefix") : List.of(p.asText())) {
                prefixes.add(number(v, path + ".number_prefix"));
            }
        }
        Pattern numberRegex = n.has("number_regex") ? regex(n.get("number_regex"), path + ".number_regex") : null;
        String contains = n.has("content_contains") ? string(n, path, "content_contains", true) : null;
        Pattern contentRegex = n.has("content_regex") ? regex(n.get("content_regex"), path + ".content_regex") : null;
        String campaign = null;
        if (n.has("campaign")) {
            campaign = string(n, path, "campaign", true);
            if (campaign != null && !campaigns.contains(campaign)) {
                problem(path + ".campaign", "'" + campaign + "' is not a campaign of this file's sends "
                        + (campaigns.isEmpty() ? "(there are none)" : campaigns.toString()));
            }
        }
        String carrier = null;
        if (n.has("carrier")) {
            carrier = string(n, path, "carrier", true);
            if (carrier != null && !carriers.contains(carrier)) {
                problem(path + ".carrier", "'" + carrier + "' is not one of the carriers " + carriers);
            }
        }
        return new Scenario.Match(List.copyOf(numbers), List.copyOf(prefixes), numberRegex, contains, contentRegex,
                campaign, carrier);
    }

    private Scenario.Choice weights(JsonNode n, String path) {
        List<Scenario.Outcome> outcomes = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        if (n.isObject()) {
            // shorthand: {DELIVRD: 80, UNDELIV: 20, silence: 5}
            n.fields().forEachRemaining(e -> {
                String p = path + "." + e.getKey();
                Scenario.Outcome o = outcome(com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()), p);
                int w = (int) longValue(e.getValue(), p, 0, 1_000_000);
                if (o != null) {
                    outcomes.add(o);
                    weights.add(w);
                }
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                JsonNode item = n.get(i);
                String p = path + "[" + i + "]";
                if (!item.isObject()) {
                    problem(p, "must be a mapping {weight: N, outcome: ...}");
                    continue;
                }
                keys(item, p, "weight", "outcome");
                if (!item.has("weight") || !item.has("outcome")) {
                    problem(p, "needs both weight and outcome");
                    continue;
                }
                int w = (int) longValue(item.get("weight"), p + ".weight", 0, 1_000_000);
                Scenario.Outcome o = outcome(item.get("outcome"), p + ".outcome");
                if (o != null) {
                    outcomes.add(o);
                    weights.add(w);
                }
            }
        } else {
            problem(path, "must be a mapping {STAT: weight} or a list of {weight, outcome}");
            return null;
        }
        if (outcomes.isEmpty()) {
            problem(path, "names no outcome");
            return null;
        }
        if (weights.stream().mapToInt(Integer::intValue).sum() == 0) {
            problem(path, "weights must not all be zero");
            return null;
        }
        return new Scenario.Weighted(List.copyOf(outcomes), List.copyOf(weights));
    }

    Scenario.Outcome outcome(JsonNode n, String path) {
        if (n.isTextual()) {
            String t = n.asText().trim();
            if (t.equalsIgnoreCase("silence")) {
                return new Scenario.Outcome(null, null, null, List.of(), true, 0);
            }
            Stat s = stat(t, path);
            return s == null ? null : new Scenario.Outcome(s, null, null, List.of(), false, 0);
        }
        if (!n.isObject()) {
            problem(path, "must be a stat (DELIVRD ...), 'silence', or a mapping {stat, err, delay, intermediates}"
                    + " / {silence: true} / {submit_error: 0x0B}");
            return null;
        }
        keys(n, path, "stat", "err", "delay", "intermediates", "silence", "submit_error");
        boolean silence = bool(n, path, "silence", false);
        int submitError = 0;
        if (n.has("submit_error")) {
            submitError = (int) longValue(n.get("submit_error"), path + ".submit_error", 1, 0xFFFFFFFFL);
        }
        int kinds = (n.has("stat") ? 1 : 0) + (silence ? 1 : 0) + (n.has("submit_error") ? 1 : 0);
        if (kinds != 1) {
            problem(path, kinds == 0 ? "needs one of stat, silence: true, submit_error"
                    : "gives more than one of stat, silence, submit_error: keep one");
            return null;
        }
        if (!n.has("stat")) {
            for (String k : silence ? List.of("err", "delay") : List.of("err", "delay", "intermediates")) {
                if (n.has(k)) {
                    problem(path + "." + k, "only applies to an outcome with a stat"
                            + (silence && k.equals("delay") ? " (silence has no final receipt to delay)" : ""));
                }
            }
            if (!silence) {
                return new Scenario.Outcome(null, null, null, List.of(), false, submitError);
            }
        }
        Stat stat = silence ? null : stat(scalar(n.get("stat"), path + ".stat"), path + ".stat");
        String err = null;
        if (n.has("err")) {
            JsonNode e = n.get("err");
            err = e.isIntegralNumber() ? String.format("%03d", e.asLong()) : e.asText();
            if (!err.matches("[0-9A-Za-z]{1,4}")) {
                problem(path + ".err", "must be 1 to 4 letters or digits (quote it: err: \"001\"), got " + show(e));
                err = null;
            }
        }
        Delay delay = n.has("delay") ? delay(n.get("delay"), path + ".delay") : null;
        List<Scenario.Intermediate> intermediates = new ArrayList<>();
        if (n.has("intermediates")) {
            JsonNode is = n.get("intermediates");
            if (!is.isArray()) {
                problem(path + ".intermediates", "must be a list, e.g. [ENROUTE] or [{stat: ENROUTE, delay: 2h}]");
            } else {
                for (int i = 0; i < is.size(); i++) {
                    String ip = path + ".intermediates[" + i + "]";
                    JsonNode item = is.get(i);
                    Stat s;
                    Delay d = null;
                    if (item.isObject()) {
                        keys(item, ip, "stat", "delay");
                        s = item.has("stat") ? stat(scalar(item.get("stat"), ip + ".stat"), ip + ".stat") : null;
                        if (!item.has("stat")) {
                            problem(ip + ".stat", "is required");
                        }
                        d = item.has("delay") ? delay(item.get("delay"), ip + ".delay") : null;
                    } else {
                        s = stat(item.asText(), ip);
                    }
                    if (s != null && s.isFinal()) {
                        problem(ip, s + " is a final stat; intermediates are ENROUTE, ACCEPTD or UNKNOWN");
                    } else if (s != null) {
                        intermediates.add(new Scenario.Intermediate(s, d));
                    }
                }
            }
        }
        if (silence) {
            // e.g. {silence: true, intermediates: [ENROUTE]}: the network took it, the phone stays off
            return new Scenario.Outcome(null, null, null, List.copyOf(intermediates), true, 0);
        }
        return stat == null ? null : new Scenario.Outcome(stat, err, delay, List.copyOf(intermediates), false, 0);
    }

    Delay delay(JsonNode n, String path) {
        if (n.isTextual()) {
            String t = n.asText();
            int dots = t.indexOf("..");
            try {
                if (dots >= 0) {
                    long a = millis(t.substring(0, dots));
                    long b = millis(t.substring(dots + 2));
                    if (b < a) {
                        problem(path, "'" + t + "': the upper bound is below the lower bound");
                        return null;
                    }
                    return new Delay.Uniform(a, b);
                }
                return new Delay.Fixed(millis(t));
            } catch (IllegalArgumentException | ArithmeticException e) {
                problem(path, e.getMessage());
                return null;
            }
        }
        if (!n.isObject() || n.size() != 1) {
            problem(path, "must be a duration (500ms), a range (100ms..2s), or one of {fixed: D}, {uniform: [MIN, MAX]},"
                    + " {normal: {mean: D, stddev: D}}, {exponential: {mean: D}}");
            return null;
        }
        String kind = n.fieldNames().next();
        JsonNode v = n.get(kind);
        String p = path + "." + kind;
        switch (kind) {
            case "fixed" -> {
                return new Delay.Fixed(duration(v, p));
            }
            case "uniform" -> {
                if (!v.isArray() || v.size() != 2) {
                    problem(p, "must be a list of two durations [MIN, MAX]");
                    return null;
                }
                long a = duration(v.get(0), p + "[0]");
                long b = duration(v.get(1), p + "[1]");
                if (b < a) {
                    problem(p, "the upper bound is below the lower bound");
                    return null;
                }
                return new Delay.Uniform(a, b);
            }
            case "normal" -> {
                if (!v.isObject()) {
                    problem(p, "must be a mapping {mean: D, stddev: D}");
                    return null;
                }
                keys(v, p, "mean", "stddev");
                if (!v.has("mean") || !v.has("stddev")) {
                    problem(p, "needs both mean and stddev");
                    return null;
                }
                return new Delay.Normal(duration(v.get("mean"), p + ".mean"), duration(v.get("stddev"), p + ".stddev"));
            }
            case "exponential" -> {
                if (!v.isObject() || !v.has("mean")) {
                    problem(p, "must be a mapping {mean: D}");
                    return null;
                }
                keys(v, p, "mean");
                return new Delay.Exponential(duration(v.get("mean"), p + ".mean"));
            }
            default -> {
                problem(p, "unknown delay kind '" + kind + "', expected fixed, uniform, normal or exponential");
                return null;
            }
        }
    }

    // ------------------------------------------------------------------ sends and expectations

    private Scenario.Send send(JsonNode n, String path) {
        if (!n.isObject()) {
            problem(path, "must be a mapping: {campaign, content, contacts} or {single: {to, content}}");
            return null;
        }
        if (n.has("single")) {
            keys(n, path, "single");
            JsonNode s = n.get("single");
            String sp = path + ".single";
            if (!s.isObject()) {
                problem(sp, "must be a mapping {to, content}");
                return null;
            }
            keys(s, sp, "to", "content", "validity", "wait_until_final");
            String to = string(s, sp, "to", true);
            String content = string(s, sp, "content", true);
            if (to != null && !to.matches("\\+\\d{6,15}")) {
                problem(sp + ".to", "'" + to + "' must be an international number: '+' then 6 to 15 digits");
            }
            Long validity = validity(s, sp);
            boolean wait = bool(s, sp, "wait_until_final", false);
            return to == null || content == null ? null : new Scenario.SingleSend(to, content, validity, wait);
        }
        keys(n, path, "campaign", "content", "contacts", "validity", "wait_until_final");
        Long validity = validity(n, path);
        boolean wait = bool(n, path, "wait_until_final", false);
        String campaign = string(n, path, "campaign", true);
        String content = string(n, path, "content", true);
        List<String> contacts = new ArrayList<>();
        JsonNode c = n.get("contacts");
        String cp = path + ".contacts";
        if (c == null) {
            problem(cp, "is required: a list of numbers or {prefix, count, width}");
        } else if (c.isArray()) {
            contacts.addAll(stringList(c, cp));
        } else if (c.isObject()) {
            keys(c, cp, "prefix", "count", "width", "from");
            String prefix = string(c, cp, "prefix", true);
            int count = c.has("count") ? (int) longValue(c.get("count"), cp + ".count", 1, 1_000_000) : 0;
            if (!c.has("count")) {
                problem(cp + ".count", "is required");
            }
            int width = c.has("width") ? (int) longValue(c.get("width"), cp + ".width", 1, 12) : 6;
            long from = c.has("from") ? longValue(c.get("from"), cp + ".from", 0, Long.MAX_VALUE) : 0;
            if (prefix != null && count > 0) {
                if (String.valueOf(from + count - 1).length() > width) {
                    problem(cp + ".width", width + " digits cannot hold " + count + " numbers from " + from);
                } else {
                    for (long i = from; i < from + count; i++) {
                        contacts.add(prefix + String.format("%0" + width + "d", i));
                    }
                }
            }
        } else {
            problem(cp, "must be a list of numbers or {prefix, count, width}");
        }
        for (String number : contacts) {
            if (!number.matches("\\+\\d{6,15}")) {
                problem(cp, "'" + number + "' must be an international number: '+' then 6 to 15 digits");
                break;
            }
        }
        return campaign == null || content == null ? null
                : new Scenario.CampaignSend(campaign, content, List.copyOf(contacts), validity, wait);
    }

    /** {@code validity}: a duration of at least 1s (sent to the gateway as ISO-8601, e.g. PT3S), or null. */
    private Long validity(JsonNode n, String path) {
        if (!n.has("validity") || n.get("validity").isNull()) {
            return null;
        }
        long v = duration(n.get("validity"), path + ".validity");
        if (v < 1000) {
            problem(path + ".validity", "must be at least 1s, got " + v + " ms");
            return null;
        }
        return v;
    }

    private Scenario.Expectations expectations(JsonNode n, Set<String> campaigns) {
        if (!n.isObject()) {
            problem("expect", "must be a mapping (campaigns, suppressed)");
            return Scenario.Expectations.NONE;
        }
        keys(n, "expect", "campaigns", "suppressed");
        Map<String, Map<String, Long>> tabs = new LinkedHashMap<>();
        if (n.has("campaigns")) {
            JsonNode cs = n.get("campaigns");
            if (!cs.isObject()) {
                problem("expect.campaigns", "must be a mapping of campaign name to tab counts");
            } else {
                cs.fields().forEachRemaining(e -> {
                    String p = "expect.campaigns." + e.getKey();
                    if (!campaigns.contains(e.getKey())) {
                        problem(p, "'" + e.getKey() + "' is not a campaign of this file's sends " + campaigns);
                    }
                    if (!e.getValue().isObject()) {
                        problem(p, "must be a mapping of tab to count, e.g. {delivered: 100, hard-bounces: 3}");
                        return;
                    }
                    Map<String, Long> counts = new LinkedHashMap<>();
                    e.getValue().fields().forEachRemaining(t -> {
                        String tab = tab(com.fasterxml.jackson.databind.node.TextNode.valueOf(t.getKey()),
                                p + "." + t.getKey());
                        long v = longValue(t.getValue(), p + "." + t.getKey(), 0, Long.MAX_VALUE);
                        if (tab != null) {
                            counts.put(tab, v);
                        }
                    });
                    tabs.put(e.getKey(), counts);
                });
            }
        }
        List<String> suppressed = n.has("suppressed") ? stringList(n.get("suppressed"), "expect.suppressed") : List.of();
        return new Scenario.Expectations(tabs, List.copyOf(suppressed));
    }

    // ------------------------------------------------------------------ scalar helpers

    private void problem(String path, String message) {
        problems.add(path, 0, message);
    }

    private void keys(JsonNode n, String path, String... allowed) {
        List<String> ok = List.of(allowed);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!ok.contains(k)) {
                String near = DidYouMean.closest(k, ok, 2);
                problem(path.isEmpty() ? k : path + "." + k, "unknown key" + (near == null ? "" : " (did you mean "
                        + near + "?)") + "; expected one of " + String.join(", ", allowed));
            }
        }
    }

    private String string(JsonNode parent, String path, String key, boolean required) {
        String p = path.isEmpty() ? key : path + "." + key;
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            if (required) {
                problem(p, "is required");
            }
            return null;
        }
        return scalar(n, p);
    }

    private String scalar(JsonNode n, String path) {
        if (!n.isValueNode() || n.isNull()) {
            problem(path, "must be a single value, got " + show(n));
            return null;
        }
        return n.asText();
    }

    private List<String> stringList(JsonNode n, String path) {
        if (!n.isArray()) {
            problem(path, "must be a list, got " + show(n));
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            String v = scalar(n.get(i), path + "[" + i + "]");
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    private long longValue(JsonNode n, String path, long min, long max) {
        long v;
        if (n.isIntegralNumber()) {
            v = n.asLong();
        } else if (n.isTextual() && n.asText().trim().matches("(?i)0x[0-9a-f]{1,8}|\\d{1,18}")) {
            String t = n.asText().trim().toLowerCase(Locale.ROOT);
            v = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
        } else {
            problem(path, "must be a whole number, got " + show(n));
            return Math.max(min, 0);
        }
        if (v < min || v > max) {
            problem(path, "must be between " + min + " and " + max + ", got " + v);
            return Math.max(min, 0);
        }
        return v;
    }

    private double share(JsonNode n, String path) {
        if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 1) {
            problem(path, "must be a share between 0 and 1 (0.05 is 5%), got " + show(n));
            return 0;
        }
        return n.asDouble();
    }

    private long duration(JsonNode n, String path) {
        if (!n.isTextual()) {
            problem(path, "must be a duration with a unit (500ms, 2s, 10m, 2h, 1d), got " + show(n));
            return 0;
        }
        try {
            return millis(n.asText());
        } catch (IllegalArgumentException | ArithmeticException e) {
            problem(path, e.getMessage());
            return 0;
        }
    }

    /** Scenario times are whole milliseconds; the text is read by the configuration's duration parser. */
    private static long millis(String text) {
        return Durations.parse(text).toMillis();
    }

    private boolean bool(JsonNode parent, String path, String key, boolean dflt) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            problem(path + "." + key, "must be true or false, got " + show(n));
            return dflt;
        }
        return n.asBoolean();
    }

    private <E extends Enum<E>> E enumValue(JsonNode parent, String path, String key, Class<E> type, E dflt) {
        JsonNode n = parent.get(key);
        if (n == null || n.isNull()) {
            return dflt;
        }
        String v = scalar(n, path + "." + key);
        if (v == null) {
            return dflt;
        }
        String t = v.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (E e : type.getEnumConstants()) {
            if (e.name().equals(t)) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        problem(path + "." + key, "'" + v + "' must be one of " + String.join(", ", names));
        return dflt;
    }

    private Stat stat(String token, String path) {
        if (token == null) {
            return null;
        }
        try {
            return Stat.parse(token);
        } catch (IllegalArgumentException e) {
            problem(path, e.getMessage());
            return null;
        }
    }

    private String tab(JsonNode n, String path) {
        String v = n.asText().trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!Scenario.TABS.contains(v)) {
            problem(path, "'" + n.asText() + "' is not a tab; expected one of " + String.join(", ", Scenario.TABS));
            return null;
        }
        return v;
    }

    private Pattern regex(JsonNode n, String path) {
        String v = scalar(n, path);
        if (v == null) {
            return null;
        }
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            problem(path, "is not a valid regular expression: " + e.getDescription());
            return null;
        }
    }

    private String number(String v, String path) {
        String t = v.trim();
        if (!t.matches("\\+?\\d{1,15}")) {
            problem(path, "'" + v + "' must be digits, optionally with a leading '+'");
        }
        return t.startsWith("+") ? t.substring(1) : t;
    }

    private static String show(JsonNode n) {
        if (n == null || n.isNull()) {
            return "nothing";
        }
        if (n.isObject()) {
            return "a mapping";
        }
        if (n.isArray()) {
            return "a list";
        }
        return "'" + n.asText() + "'";
    }
}
