package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dlrgate.config.yaml.YamlTree;
import io.dlrgate.simulator.outcome.Stat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates a scenario file. Fails fast and completely: every problem found is reported at once,
 * one per line and each once, as {@code FILE: KEY.PATH: what is wrong (line N)} (for example
 * {@code five-tabs.yaml: rules[2].weights.DELIVERED: unknown stat 'DELIVERED', expected one of ... (line 31)}).
 * Unknown keys are errors, so a typo never silently changes a scenario. Each section has its reader
 * ({@link CarriersReader}, {@link SendsReader}, {@link RulesReader}, {@link ExpectReader}); this class reads
 * the top-level settings and composes them.
 */
public final class ScenarioLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final String source;
    private final ScenarioNodes in = new ScenarioNodes();
    private final DelayReader delays = new DelayReader(in);
    private final CarriersReader carriers = new CarriersReader(in, delays);
    private final SendsReader sends = new SendsReader(in);
    private final RulesReader rules;
    private final ExpectReader expect = new ExpectReader(in);

    private ScenarioLoader(String source, Path baseDir) {
        this.source = source;
        this.rules = new RulesReader(in, new MatchReader(in, baseDir), new OutcomeReader(in, delays), delays);
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
        ScenarioLines lines;
        JsonNode root;
        try {
            // the located parse first: its syntax errors are one line (Jackson's echo the source, twice)
            lines = ScenarioLines.of(yaml, (path, key, line, firstLine) ->
                    l.in.problems().add(path, line, "duplicate key \"" + key + "\" (first given on line " + firstLine
                            + ")"));
            root = YAML.readTree(yaml);
        } catch (YamlTree.SyntaxError e) {
            throw new ScenarioException(List.of(sourceName + ": not valid YAML: " + e.getMessage() + " (line "
                    + e.line() + ", column " + e.column() + ")"));
        } catch (JsonProcessingException e) {
            throw new ScenarioException(List.of(sourceName + ": not valid YAML: " + e.getOriginalMessage()));
        }
        Scenario s = l.scenario(root);
        if (!l.in.problems().isEmpty()) {
            // distinct: a value some readers look at twice (e.g. a carrier's prefixes) would be reported twice
            throw new ScenarioException(l.in.problems().all().stream()
                    .map(p -> sourceName + ": " + p.keyPath() + ": " + p.message()
                            + at(p.line() > 0 ? p.line() : lines.lineOf(p.keyPath())))
                    .distinct().toList());
        }
        return s;
    }

    private static String at(int line) {
        return line > 0 ? " (line " + line + ")" : "";
    }

    private Scenario scenario(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            in.problem("(file)", "is empty: a scenario needs at least carriers and sends or rules");
            return null;
        }
        if (!root.isObject()) {
            in.problem("(file)", "must be a mapping of keys (name, seed, carriers, rules, sends, expect)");
            return null;
        }
        in.keys(root, "", "name", "role", "seed", "time_scale", "timeout", "stat_tabs", "carriers", "rules", "sends",
                "expect");
        Scenario.Role role = role(root.get("role"));
        String name = in.string(root, "", "name", false);
        long seed = root.has("seed") ? in.longValue(root.get("seed"), "seed", Long.MIN_VALUE, Long.MAX_VALUE) : 1L;
        double timeScale = root.has("time_scale") ? timeScale(root.get("time_scale")) : 1.0;
        long timeout = root.has("timeout") ? in.duration(root.get("timeout"), "timeout") : 120_000L;
        Map<Stat, String> statTabs = statTabs(root.get("stat_tabs"));
        List<Scenario.Carrier> cs = carriers.carriers(root.get("carriers"));
        List<Scenario.Send> ss = sends.sends(root.get("sends"));

        Set<String> campaignNames = new HashSet<>();
        ss.forEach(s -> {
            if (s instanceof Scenario.CampaignSend c) {
                campaignNames.add(c.campaign());
            }
        });
        Set<String> carrierIds = new HashSet<>();
        cs.forEach(c -> carrierIds.add(c.id()));

        List<Scenario.Rule> rs = rules.rules(root.get("rules"), campaignNames, carrierIds);
        Scenario.Expectations ex = expect.expectations(root.get("expect"), campaignNames);
        return new Scenario(name == null ? source : name, seed, timeScale, timeout, cs, rs, ss, ex, statTabs, role);
    }

    /** carrier (the simulated carriers bind to the gateway, the default) or smsc (ESMEs bind to them). */
    private Scenario.Role role(JsonNode n) {
        if (n == null || n.isNull()) {
            return Scenario.Role.CARRIER;
        }
        String v = n.isValueNode() ? n.asText().trim().toLowerCase(java.util.Locale.ROOT) : "";
        return switch (v) {
            case "carrier" -> Scenario.Role.CARRIER;
            case "smsc" -> Scenario.Role.SMSC;
            default -> {
                in.problem("role", "must be carrier (the simulated carriers bind to the gateway) or smsc (the "
                        + "gateway or any ESME binds to them), got " + ScenarioNodes.show(n));
                yield Scenario.Role.CARRIER;
            }
        };
    }

    private double timeScale(JsonNode n) {
        if (!n.isNumber() || n.asDouble() <= 0 || n.asDouble() > 1000) {
            in.problem("time_scale", "must be a number above 0 and at most 1000, got " + ScenarioNodes.show(n));
            return 1.0;
        }
        return n.asDouble();
    }

    /** The reporting model's stat-to-tab table, with this file's {@code stat_tabs} on top. */
    private Map<Stat, String> statTabs(JsonNode st) {
        Map<Stat, String> statTabs = new LinkedHashMap<>(Scenario.DEFAULT_STAT_TABS);
        if (st == null) {
            return Map.copyOf(statTabs);
        }
        if (!st.isObject()) {
            in.problem("stat_tabs", "must be a mapping of stat to tab, e.g. {DELETED: deleted}");
        } else {
            st.fields().forEachRemaining(e -> {
                Stat stat = in.stat(e.getKey(), "stat_tabs." + e.getKey());
                String tab = in.tab(e.getValue(), "stat_tabs." + e.getKey());
                if (stat != null && tab != null) {
                    statTabs.put(stat, tab);
                }
            });
        }
        return Map.copyOf(statTabs);
    }
}
