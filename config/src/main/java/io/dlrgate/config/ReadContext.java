package io.dlrgate.config;

import io.dlrgate.config.ConfigException.Problem;
import io.dlrgate.config.yaml.Problems;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one load reads from besides the YAML (the environment) and where its problems go: every section reader
 * reports here, and {@link #throwIfAny()} throws them together at the end.
 */
final class ReadContext {
    private final String source;
    private final Map<String, String> env;
    private final Problems problems = new Problems();
    private final List<Problem> envProblems = new ArrayList<>();

    ReadContext(String source, Map<String, String> env) {
        this.source = source;
        this.env = env == null ? Map.of() : env;
    }

    /** A problem in the file. */
    void problem(String path, int line, String message) {
        problems.add(path, line, message);
    }

    /** A problem with an environment variable. */
    void envProblem(String variable, String message) {
        envProblems.add(new Problem(ConfigException.ENVIRONMENT, variable, message, 0, 0));
    }

    /** An environment value, or null when the variable is unset or empty. */
    String env(String name) {
        String v = env.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The names of every environment variable given. */
    Set<String> envNames() {
        return env.keySet();
    }

    String envHost(String var, String key, String current) {
        String v = env(var);
        if (v == null) {
            return current;
        }
        try {
            return ConfigValues.checkHost(v);
        } catch (IllegalArgumentException e) {
            envProblem(var, e.getMessage() + " (overrides " + key + ")");
            return current;
        }
    }

    int envPort(String var, String key, int current) {
        String v = env(var);
        if (v == null) {
            return current;
        }
        try {
            return ConfigValues.parseInteger(v.trim(), 0, 65535);
        } catch (IllegalArgumentException e) {
            envProblem(var, e.getMessage() + " (overrides " + key + ")");
            return current;
        }
    }

    boolean checkSystemId(String sectionPath, String key, int line, String systemId) {
        String path = ConfigSection.join(sectionPath, key);
        if (systemId.isEmpty()) {
            problem(path, line, "must not be empty");
            return false;
        }
        if (systemId.length() > 15) {
            problem(path, line, "must be at most 15 characters (SMPP limit), got " + systemId.length());
            return false;
        }
        if (!systemId.chars().allMatch(ch -> ch > 0x20 && ch < 0x7F)) {
            problem(path, line, "must be printable ASCII without spaces, got \"" + systemId + "\"");
            return false;
        }
        return true;
    }

    /** Throws every problem found: the file's in line order, then the environment's; returns when there are none. */
    void throwIfAny() {
        if (!problems.isEmpty() || !envProblems.isEmpty()) {
            List<Problem> all = new ArrayList<>();
            problems.all().forEach(p -> all.add(new Problem(source, p.keyPath(), p.message(), p.line(), 0)));
            all.sort(Comparator.comparingInt(p -> p.line() == 0 ? Integer.MAX_VALUE : p.line()));
            all.addAll(envProblems);
            throw new ConfigException(source, all);
        }
    }
}
