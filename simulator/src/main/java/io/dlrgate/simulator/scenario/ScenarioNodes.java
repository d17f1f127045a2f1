package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import io.dlrgate.config.yaml.DidYouMean;
import io.dlrgate.config.yaml.Durations;
import io.dlrgate.config.yaml.Problems;
import io.dlrgate.simulator.outcome.Stat;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Typed reads of one scenario file's nodes for the section readers: each read that finds something wrong adds a
 * problem naming the key path and returns a fallback, so that one pass reports every problem in the file.
 */
final class ScenarioNodes {
    private final Problems problems = new Problems();

    Problems problems() {
        return problems;
    }

    void problem(String path, String message) {
        problems.add(path, 0, message);
    }

    void keys(JsonNode n, String path, String... allowed) {
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

    String string(JsonNode parent, String path, String key, boolean required) {
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

    String scalar(JsonNode n, String path) {
        if (!n.isValueNode() || n.isNull()) {
            problem(path, "must be a single value, got " + show(n));
            return null;
        }
        return n.asText();
    }

    List<String> stringList(JsonNode n, String path) {
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

    long longValue(JsonNode n, String path, long min, long max) {
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

    double share(JsonNode n, String path) {
        if (!n.isNumber() || n.asDouble() < 0 || n.asDouble() > 1) {
            problem(path, "must be a share between 0 and 1 (0.05 is 5%), got " + show(n));
            return 0;
        }
        return n.asDouble();
    }

    long duration(JsonNode n, String path) {
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
    static long millis(String text) {
        return Durations.parse(text).toMillis();
    }

    boolean bool(JsonNode parent, String path, String key, boolean dflt) {
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

    <E extends Enum<E>> E enumValue(JsonNode parent, String path, String key, Class<E> type, E dflt) {
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

    Stat stat(String token, String path) {
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

    String tab(JsonNode n, String path) {
        String v = n.asText().trim().toLowerCase(Locale.ROOT).replace('_', '-');
        if (!Scenario.TABS.contains(v)) {
            problem(path, "'" + n.asText() + "' is not a tab; expected one of " + String.join(", ", Scenario.TABS));
            return null;
        }
        return v;
    }

    Pattern regex(JsonNode n, String path) {
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

    String number(String v, String path) {
        String t = v.trim();
        if (!t.matches("\\+?\\d{1,15}")) {
            problem(path, "'" + v + "' must be digits, optionally with a leading '+'");
        }
        return t.startsWith("+") ? t.substring(1) : t;
    }

    static String show(JsonNode n) {
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
