package io.dlrgate.config;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Map;
import java.util.stream.Collectors;

/** Helpers shared by the config tests: a minimal valid carrier, and "this YAML fails at that key". */
final class ConfigAssertions {

    static final String SOURCE = "dlrgate.yaml";

    private ConfigAssertions() {
    }

    /** A valid carrier entry (list item) with the given id, system_id = id, password id-secret. */
    static String carrier(String id, String... extraLines) {
        StringBuilder sb = new StringBuilder()
                .append("  - id: ").append(id).append('\n')
                .append("    system_id: ").append(id).append('\n')
                .append("    password: ").append(id).append("-secret\n");
        for (String l : extraLines) {
            sb.append("    ").append(l).append('\n');
        }
        return sb.toString();
    }

    static GatewayConfig load(String yaml) {
        return ConfigLoader.fromYaml(yaml, SOURCE, Map.of());
    }

    static ConfigException fails(String yaml) {
        return fails(yaml, Map.of());
    }

    static ConfigException fails(String yaml, Map<String, String> env) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.fromYaml(yaml, SOURCE, env));
    }

    /** The problem at exactly this key path; fails listing all problems when there is none. */
    static ConfigException.Problem problemAt(ConfigException e, String keyPath) {
        return e.problemAt(keyPath).orElseGet(() -> fail("no problem at " + keyPath + "; problems were:\n"
                + e.problems().stream().map(Object::toString).collect(Collectors.joining("\n"))));
    }

    /** Asserts there is a problem at the key path whose message contains every fragment. */
    static ConfigException.Problem assertProblem(ConfigException e, String keyPath, String... fragments) {
        ConfigException.Problem p = problemAt(e, keyPath);
        for (String f : fragments) {
            assertTrue(p.message().contains(f), () -> "problem at " + keyPath + " should contain \"" + f
                    + "\" but was: " + p.message());
        }
        return p;
    }
}
