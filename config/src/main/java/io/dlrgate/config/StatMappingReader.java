package io.dlrgate.config;

import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.YamlTree.Entry;
import io.dlrgate.config.yaml.YamlTree.MapNode;
import io.dlrgate.config.yaml.YamlTree.Node;
import io.dlrgate.config.yaml.YamlTree.Scalar;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Reads a {@code stat_mapping} (receipt stat to tab), in {@code receipts} and in each carrier. */
final class StatMappingReader {
    private static final Pattern STAT = Pattern.compile("[A-Z0-9_]{1,20}");

    private final ReadContext ctx;

    StatMappingReader(ReadContext ctx) {
        this.ctx = ctx;
    }

    Map<String, Tab> read(ConfigSection s, String key) {
        Node n = s.get(key);
        Map<String, Tab> out = new LinkedHashMap<>();
        if (n == null) {
            return out;
        }
        String path = s.keyPath(key);
        if (!(n instanceof MapNode m)) {
            ctx.problem(path, n.line(), "expected a mapping of receipt stat to tab (e.g. DELIVRD: delivered), got "
                    + n.describe());
            return out;
        }
        Map<String, String> seen = new HashMap<>();
        for (Entry e : m.entries().values()) {
            String stat = e.key().trim().toUpperCase(Locale.ROOT);
            String statPath = path + "." + e.key();
            if (!STAT.matcher(stat).matches()) {
                ctx.problem(statPath, e.keyLine(), "not a receipt stat word: \"" + e.key()
                        + "\" (letters, digits and _ only, e.g. DELIVRD)");
                continue;
            }
            String before = seen.putIfAbsent(stat, e.key());
            if (before != null) {
                ctx.problem(statPath, e.keyLine(), "stat " + stat + " is already mapped (as \"" + before + "\")");
                continue;
            }
            Node v = e.value();
            if (!(v instanceof Scalar sc) || sc.isNull()) {
                ctx.problem(statPath, v.line(), "expected a tab (" + tabSlugs() + "), got " + v.describe());
                continue;
            }
            Tab tab = Tab.fromSlug(sc.text()).orElse(null);
            if (tab == null) {
                ctx.problem(statPath, v.line(), "unknown tab \"" + sc.text() + "\"" + DidYouMean.suggestion(sc.text(),
                        Arrays.stream(Tab.values()).map(Tab::slug).toList()) + "; expected one of " + tabSlugs());
                continue;
            }
            out.put(stat, tab);
        }
        return out;
    }

    private static String tabSlugs() {
        return Arrays.stream(Tab.values()).map(Tab::slug).collect(Collectors.joining(", "));
    }
}
