package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DuplicateIdTest {

    @Test
    void twoCarriersWithTheSameId() {
        ConfigException e = fails("carriers:\n"
                + "  - {id: alpha, system_id: a1, password: a}\n"
                + "  - {id: alpha, system_id: a2, password: b}\n");
        assertEquals("dlrgate.yaml: carriers[1].id: duplicate id \"alpha\": already used by carriers[0] (line 3)",
                e.getMessage());
    }

    @Test
    void idsThatShareAPasswordVariableAreRejected() {
        ConfigException e = fails("carriers:\n"
                + "  - {id: my-carrier, system_id: a1, password: a}\n"
                + "  - {id: my_carrier, system_id: a2, password: b}\n");
        assertProblem(e, "carriers[1].id", "share the password variable DLRGATE_CARRIER_MY_CARRIER_PASSWORD");
    }

    @Test
    void badIdCharacters() {
        ConfigException e = fails("carriers:\n  - {id: 'al pha', system_id: a1, password: a}\n");
        assertProblem(e, "carriers[0].id", "not a valid carrier id", "\"al pha\"");
    }
}
