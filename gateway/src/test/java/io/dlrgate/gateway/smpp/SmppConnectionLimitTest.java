package io.dlrgate.gateway.smpp;

import io.dlrgate.config.BindType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** max_connections is enforced (ch-smpp itself only logs a warning when it is exceeded). */
class SmppConnectionLimitTest extends GatewayServerTestBase {

    @Override
    int maxConnections() {
        return 2;
    }

    @Test
    void aConnectionOverTheLimitIsClosedAndOthersAreUntouched() throws Exception {
        bind(ACME, BindType.TRANSCEIVER);
        try (RawSmppSocket second = new RawSmppSocket(server.port());
             RawSmppSocket third = new RawSmppSocket(server.port())) {
            assertTrue(third.closedWithin(1_000), "third connection refused");
            // (well within the 3 s bind timeout, which would close an unbound connection anyway)
            assertFalse(second.closedWithin(500), "second connection (within the limit) stays open");
        }
        assertEquals(1, server.sessions().boundCount("acme"));
    }
}
