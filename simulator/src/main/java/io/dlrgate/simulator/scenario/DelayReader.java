package io.dlrgate.simulator.scenario;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a delay of a scenario file: {@code 500ms} (fixed), {@code 100ms..2s} (uniform), or one of
 * {@code {fixed: D}}, {@code {uniform: [MIN, MAX]}}, {@code {normal: {mean: D, stddev: D}}},
 * {@code {exponential: {mean: D}}}.
 */
final class DelayReader {
    private final ScenarioNodes in;

    DelayReader(ScenarioNodes in) {
        this.in = in;
    }

    /** The delay, or null (with a problem) when it cannot be read. */
    Delay delay(JsonNode n, String path) {
        if (n.isTextual()) {
            return written(n.asText(), path);
        }
        if (!n.isObject() || n.size() != 1) {
            in.problem(path, "must be a duration (500ms), a range (100ms..2s), or one of {fixed: D}, {uniform: [MIN, MAX]},"
                    + " {normal: {mean: D, stddev: D}}, {exponential: {mean: D}}");
            return null;
        }
        String kind = n.fieldNames().next();
        JsonNode v = n.get(kind);
        String p = path + "." + kind;
        switch (kind) {
            case "fixed" -> {
                return new Delay.Fixed(in.duration(v, p));
            }
            case "uniform" -> {
                return uniform(v, p);
            }
            case "normal" -> {
                if (!v.isObject()) {
                    in.problem(p, "must be a mapping {mean: D, stddev: D}");
                    return null;
                }
                in.keys(v, p, "mean", "stddev");
                if (!v.has("mean") || !v.has("stddev")) {
                    in.problem(p, "needs both mean and stddev");
                    return null;
                }
                return new Delay.Normal(in.duration(v.get("mean"), p + ".mean"), in.duration(v.get("stddev"), p + ".stddev"));
            }
            case "exponential" -> {
                if (!v.isObject() || !v.has("mean")) {
                    in.problem(p, "must be a mapping {mean: D}");
                    return null;
                }
                in.keys(v, p, "mean");
                return new Delay.Exponential(in.duration(v.get("mean"), p + ".mean"));
            }
            default -> {
                in.problem(p, "unknown delay kind '" + kind + "', expected fixed, uniform, normal or exponential");
                return null;
            }
        }
    }

    /** The short forms: {@code 500ms} or {@code 100ms..2s}. */
    private Delay written(String t, String path) {
        int dots = t.indexOf("..");
        try {
            if (dots >= 0) {
                long a = ScenarioNodes.millis(t.substring(0, dots));
                long b = ScenarioNodes.millis(t.substring(dots + 2));
                if (b < a) {
                    in.problem(path, "'" + t + "': the upper bound is below the lower bound");
                    return null;
                }
                return new Delay.Uniform(a, b);
            }
            return new Delay.Fixed(ScenarioNodes.millis(t));
        } catch (IllegalArgumentException | ArithmeticException e) {
            in.problem(path, e.getMessage());
            return null;
        }
    }

    private Delay uniform(JsonNode v, String p) {
        if (!v.isArray() || v.size() != 2) {
            in.problem(p, "must be a list of two durations [MIN, MAX]");
            return null;
        }
        long a = in.duration(v.get(0), p + "[0]");
        long b = in.duration(v.get(1), p + "[1]");
        if (b < a) {
            in.problem(p, "the upper bound is below the lower bound");
            return null;
        }
        return new Delay.Uniform(a, b);
    }
}
