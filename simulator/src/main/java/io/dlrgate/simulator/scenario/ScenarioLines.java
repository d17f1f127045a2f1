package io.dlrgate.simulator.scenario;

import io.dlrgate.config.yaml.YamlTree;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key path of a scenario file ({@code carriers[0].window}), so that problems can say where
 * they are, as the gateway's configuration errors do. The section readers walk Jackson's tree, which keeps no
 * locations; this index comes from a second, located parse of the same text ({@link YamlTree}).
 */
final class ScenarioLines {
    private final Map<String, Integer> lines = new HashMap<>();

    private ScenarioLines() {
    }

    /**
     * @param duplicates told of each key given twice in one mapping (Jackson's tree keeps only the last)
     * @throws YamlTree.SyntaxError when the text is not YAML (its message is one line, without echoed source)
     */
    static ScenarioLines of(String yaml, YamlTree.DuplicateKeys duplicates) throws YamlTree.SyntaxError {
        ScenarioLines index = new ScenarioLines();
        YamlTree.Node root = YamlTree.parse(yaml, duplicates);
        if (root != null) {
            index.walk(root, "");
        }
        return index;
    }

    private void walk(YamlTree.Node n, String path) {
        if (n instanceof YamlTree.MapNode m) {
            for (YamlTree.Entry e : m.entries().values()) {
                String p = path.isEmpty() ? e.key() : path + "." + e.key();
                lines.put(p, e.keyLine());
                walk(e.value(), p);
            }
        } else if (n instanceof YamlTree.ListNode l) {
            for (int i = 0; i < l.items().size(); i++) {
                String p = path + "[" + i + "]";
                lines.put(p, l.items().get(i).line());
                walk(l.items().get(i), p);
            }
        }
    }

    /** The line of {@code keyPath}, or of its nearest ancestor in the file (a missing key: its mapping); 0: none. */
    int lineOf(String keyPath) {
        String p = keyPath;
        while (!p.isEmpty()) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return 0;
    }
}
