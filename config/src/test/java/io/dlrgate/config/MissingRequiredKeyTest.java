package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MissingRequiredKeyTest {

    @Test
    void carrierWithoutSystemId() {
        ConfigException e = fails("carriers:\n  - id: alpha\n    password: pw\n");
        assertEquals("dlrgate.yaml: carriers[0].system_id: missing required key (line 2)", e.getMessage());
        assertEquals("carriers[0].system_id", e.keyPath());
        assertEquals("missing required key", e.problem());
        assertEquals("dlrgate.yaml", e.source());
    }

    @Test
    void carrierWithoutIdNorPasswordReportsBoth() {
        ConfigException e = fails("carriers:\n  - system_id: alpha\n");
        assertEquals(List.of("carriers[0].id", "carriers[0].password"),
                e.problems().stream().map(ConfigException.Problem::keyPath).toList());
    }

    @Test
    void missingPasswordNamesTheEnvironmentVariableThatCouldGiveIt() {
        ConfigException e = fails("carriers:\n  - id: my-carrier\n    system_id: mc\n");
        assertProblem(e, "carriers[0].password", "missing required key", "DLRGATE_CARRIER_MY_CARRIER_PASSWORD");
    }

    @Test
    void passwordGivenByTheEnvironmentIsEnough() {
        GatewayConfig c = ConfigLoader.fromYaml("carriers:\n  - id: alpha\n    system_id: alpha\n", "x.yaml",
                Map.of("DLRGATE_CARRIER_ALPHA_PASSWORD", "from-env"));
        assertEquals("from-env", c.carriers().get(0).password());
    }

    @Test
    void nullValueCountsAsMissing() {
        ConfigException e = fails("carriers:\n  - id: alpha\n    system_id: ~\n    password: pw\n");
        assertProblem(e, "carriers[0].system_id", "missing required key");
    }
}
