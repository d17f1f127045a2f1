package io.dlrgate.config;

import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.YamlTree.Entry;
import io.dlrgate.config.yaml.YamlTree.ListNode;
import io.dlrgate.config.yaml.YamlTree.MapNode;
import io.dlrgate.config.yaml.YamlTree.Node;
import io.dlrgate.config.yaml.YamlTree.Scalar;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A mapping at a key path, with typed getters that report problems and fall back to defaults. */
final class ConfigSection {
    interface ItemSink {
        void accept(String text, String path, int line);
    }

    private final ReadContext ctx;
    private final MapNode map;
    private final String path;
    private final int line;
    private final List<String> known;

    ConfigSection(ReadContext ctx, Node node, String path, int line, List<String> known) {
        this.ctx = ctx;
        this.path = path;
        this.known = known;
        if (node instanceof MapNode m) {
            this.map = m;
            this.line = m.line();
        } else {
            this.map = null;
            this.line = node == null ? line : node.line();
            if (node != null && !(node instanceof Scalar sc && sc.isNull())) {
                ctx.problem(path, node.line(), "expected a mapping of keys (" + String.join(", ", known)
                        + "), got " + node.describe());
            }
        }
    }

    String path() {
        return path;
    }

    int line() {
        return line;
    }

    String keyPath(String key) {
        return join(path, key);
    }

    static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    ConfigSection section(String key, List<String> keys) {
        return new ConfigSection(ctx, get(key), keyPath(key), lineOf(key), keys);
    }

    boolean has(String key) {
        return get(key) != null;
    }

    /** The value at the key; null when absent or written as null. */
    Node get(String key) {
        if (map == null) {
            return null;
        }
        Entry e = map.entries().get(key);
        if (e == null || (e.value() instanceof Scalar sc && sc.isNull())) {
            return null;
        }
        return e.value();
    }

    int lineOf(String key) {
        if (map != null) {
            Entry e = map.entries().get(key);
            if (e != null) {
                return e.value() instanceof Scalar ? e.value().line() : e.keyLine();
            }
        }
        return line;
    }

    void checkUnknownKeys() {
        if (map == null) {
            return;
        }
        for (Entry e : map.entries().values()) {
            if (e.key().equals("<<")) {
                ctx.problem(keyPath(e.key()), e.keyLine(), "YAML merge keys (<<) are not supported: write the keys out");
            } else if (!known.contains(e.key())) {
                String hint = DidYouMean.suggestion(e.key(), known);
                ctx.problem(keyPath(e.key()), e.keyLine(), "unknown key" + (hint.isEmpty()
                        ? "; known keys here: " + String.join(", ", known) : hint));
            }
        }
    }

    private Scalar scalar(String key, String expected) {
        Node n = get(key);
        if (n == null) {
            return null;
        }
        if (n instanceof Scalar sc) {
            return sc;
        }
        ctx.problem(keyPath(key), n.line(), "expected " + expected + ", got " + n.describe());
        return null;
    }

    String string(String key, String def, boolean required) {
        Node n = get(key);
        if (n == null) {
            if (required) {
                ctx.problem(keyPath(key), line, "missing required key");
            }
            return def;
        }
        Scalar sc = scalar(key, "a string");
        return sc == null ? def : sc.text();
    }

    String host(String key, String def) {
        Scalar sc = scalar(key, "a host (IP address or name)");
        if (sc == null) {
            return def;
        }
        try {
            return ConfigValues.checkHost(sc.text());
        } catch (IllegalArgumentException e) {
            ctx.problem(keyPath(key), sc.line(), e.getMessage());
            return def;
        }
    }

    /** {@code true} or {@code false}; anything else is a problem and gives {@code def}. */
    boolean bool(String key, boolean def) {
        Node n = get(key);
        if (n == null) {
            return def;
        }
        if (n instanceof Scalar sc && (sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
                || sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
            return sc.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
        }
        ctx.problem(keyPath(key), n.line(), "expected true or false, got " + n.describe());
        return def;
    }

    int integer(String key, int def, long min, long max) {
        Scalar sc = scalar(key, "an integer");
        if (sc == null) {
            return def;
        }
        switch (sc.token()) {
            case VALUE_NUMBER_FLOAT:
            case VALUE_TRUE:
            case VALUE_FALSE:
                ctx.problem(keyPath(key), sc.line(), "expected an integer, got " + sc.describe());
                return def;
            default:
                break;
        }
        try {
            return ConfigValues.parseInteger(sc.text(), min, max);
        } catch (IllegalArgumentException e) {
            ctx.problem(keyPath(key), sc.line(), e.getMessage());
            return def;
        }
    }

    Duration duration(String key, Duration def) {
        return duration(key, def, false);
    }

    /** A duration; zero is accepted only when {@code zeroAllowed} (negative never is). */
    Duration duration(String key, Duration def, boolean zeroAllowed) {
        Scalar sc = scalar(key, "a duration (e.g. 30s, 10m, 48h, 2d, PT48H)");
        if (sc == null) {
            return def;
        }
        try {
            Duration d = Durations.parse(sc.text());
            if (d.isNegative() || (d.isZero() && !zeroAllowed)) {
                ctx.problem(keyPath(key), sc.line(), "must be a " + (zeroAllowed ? "non-negative" : "positive")
                        + " duration, got " + sc.text());
                return def;
            }
            return d;
        } catch (IllegalArgumentException e) {
            ctx.problem(keyPath(key), sc.line(), e.getMessage());
            return def;
        }
    }

    <E> E enumValue(String key, E def, E[] values, Function<E, String> name) {
        Scalar sc = scalar(key, "one of " + Arrays.stream(values).map(name).collect(Collectors.joining(", ")));
        if (sc == null) {
            return def;
        }
        String t = sc.text().trim().toLowerCase(Locale.ROOT);
        for (E v : values) {
            if (name.apply(v).equals(t)) {
                return v;
            }
        }
        List<String> names = Arrays.stream(values).map(name).toList();
        ctx.problem(keyPath(key), sc.line(), "unknown value \"" + sc.text() + "\"" + DidYouMean.suggestion(t, names)
                + "; expected one of " + String.join(", ", names));
        return def;
    }

    /** Each item of a list of scalars; a non-list or a non-scalar item is a problem. */
    void stringList(String key, ItemSink sink) {
        Node n = get(key);
        if (n == null) {
            return;
        }
        if (!(n instanceof ListNode l)) {
            ctx.problem(keyPath(key), n.line(), "expected a list (e.g. [a, b]), got " + n.describe());
            return;
        }
        for (int i = 0; i < l.items().size(); i++) {
            Node item = l.items().get(i);
            String itemPath = keyPath(key) + "[" + i + "]";
            if (item instanceof Scalar sc && !sc.isNull()) {
                sink.accept(sc.text(), itemPath, sc.line());
            } else {
                ctx.problem(itemPath, item.line(), "expected a string, got " + item.describe());
            }
        }
    }
}
