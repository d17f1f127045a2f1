package io.dlrgate.config;

import static io.dlrgate.config.ConfigAssertions.assertProblem;
import static io.dlrgate.config.ConfigAssertions.carrier;
import static io.dlrgate.config.ConfigAssertions.fails;
import static io.dlrgate.config.ConfigAssertions.load;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The smpp keys that bound what strangers can do to the listener. */
class SmppListenerLimitsTest {

    private static final String CARRIERS = "carriers:\n" + carrier("acme");

    private static SmppServerConfig smpp(String smppSection) {
        return load(smppSection + "\n" + CARRIERS).smpp();
    }

    @Test
    void defaults() {
        SmppServerConfig smpp = smpp("");
        assertEquals(20, smpp.maxUnboundConnections());
        assertEquals(4, smpp.maxUnboundPerAddress());
        assertEquals(new FailureLimits(10, Duration.ofMinutes(1), Duration.ofMinutes(5)), smpp.bindFailures());
    }

    @Test
    void unboundBudgetIsRead() {
        SmppServerConfig smpp = smpp("smpp: {max_unbound_connections: 50, max_unbound_per_address: 2}");
        assertEquals(50, smpp.maxUnboundConnections());
        assertEquals(2, smpp.maxUnboundPerAddress());
    }

    @Test
    void unboundBudgetOutOfRange() {
        assertProblem(fails("smpp: {max_unbound_connections: 0}\n" + CARRIERS), "smpp.max_unbound_connections",
                "must be between 1 and 100000, got 0");
        assertProblem(fails("smpp: {max_unbound_per_address: 0}\n" + CARRIERS), "smpp.max_unbound_per_address",
                "must be between 1 and 100000, got 0");
        assertProblem(fails("smpp: {max_unbound_connections: 10, max_unbound_per_address: 11}\n" + CARRIERS),
                "smpp.max_unbound_per_address", "must not exceed smpp.max_unbound_connections (10), got 11");
    }

    @Test
    void bindFailuresAreRead() {
        assertEquals(new FailureLimits(5, Duration.ofSeconds(30), Duration.ofMinutes(15)),
                smpp("smpp:\n  bind_failures: {limit: 5, window: 30s, lockout: 15m}").bindFailures());
        assertEquals(new FailureLimits(3, Duration.ofMinutes(1), Duration.ofMinutes(5)),
                smpp("smpp:\n  bind_failures: {limit: 3}").bindFailures(),
                "a partial mapping keeps the other defaults");
    }

    @Test
    void bindFailuresOutOfRange() {
        ConfigException e = fails("smpp:\n  bind_failures: {limit: 0, window: 2h, lockout: 2d, lockot: 1m}\n"
                + CARRIERS);
        assertProblem(e, "smpp.bind_failures.limit", "must be between 1 and 1000, got 0");
        assertProblem(e, "smpp.bind_failures.window", "must be at most 1h");
        assertProblem(e, "smpp.bind_failures.lockout", "must be at most 1d");
        assertProblem(e, "smpp.bind_failures.lockot", "unknown key");
    }
}
