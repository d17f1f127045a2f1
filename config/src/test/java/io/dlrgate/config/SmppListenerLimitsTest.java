package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The smpp keys that bound what strangers can do to the listener. */
class SmppListenerLimitsTest {

    @Test
    void unboundBudgetDefaults() {
        SmppServerConfig smpp = load("").smpp();
        assertEquals(20, smpp.maxUnboundConnections());
        assertEquals(4, smpp.maxUnboundPerAddress());
    }

    @Test
    void unboundBudgetIsRead() {
        SmppServerConfig smpp = load("smpp: {max_unbound_connections: 50, max_unbound_per_address: 2}").smpp();
        assertEquals(50, smpp.maxUnboundConnections());
        assertEquals(2, smpp.maxUnboundPerAddress());
    }

    @Test
    void unboundBudgetOutOfRange() {
        assertProblem(fails("smpp: {max_unbound_connections: 0}"), "smpp.max_unbound_connections",
                "must be between 1 and 100000, got 0");
        assertProblem(fails("smpp: {max_unbound_per_address: 0}"), "smpp.max_unbound_per_address",
                "must be between 1 and 100000, got 0");
        assertProblem(fails("smpp: {max_unbound_connections: 10, max_unbound_per_address: 11}"),
                "smpp.max_unbound_per_address", "must not exceed smpp.max_unbound_connections (10), got 11");
    }
}
