package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DuplicateSystemIdTest {

    @Test
    void twoCarriersWithTheSameSystemId() {
        ConfigException e = fails("carriers:\n"
                + "  - {id: alpha, system_id: shared, password: a}\n"
                + "  - {id: beta, system_id: other, password: b}\n"
                + "  - {id: gamma, system_id: shared, password: c}\n");
        assertEquals("dlrgate.yaml: carriers[2].system_id: duplicate system_id \"shared\": already used by "
                + "carriers[0] (id alpha) (line 4)", e.getMessage());
    }

    @Test
    void systemIdsDifferingInCaseAreDistinct() {
        // SMPP compares system_id exactly; the gateway's lookup does too.
        assertEquals(2, load("carriers:\n"
                + "  - {id: alpha, system_id: Alpha, password: a}\n"
                + "  - {id: beta, system_id: alpha, password: b}\n").carriers().size());
    }

    @Test
    void smppSystemIdLimitIsFifteenCharacters() {
        ConfigException e = fails("carriers:\n  - {id: alpha, system_id: abcdefghijklmnop, password: a}\n");
        assertProblem(e, "carriers[0].system_id", "at most 15 characters", "got 16");
    }
}
