package io.dlrgate.gateway.smpp;

import io.dlrgate.config.BindType;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** max_connections is enforced (ch-smpp itself only logs a warning when it is exceeded). */
class SmppConnectionLimitTest extends GatewayServerTestBase {

    @Override
    int maxConnections() {
        return 2;
    }

    @Override
    Duration bindTimeout() {
        return Duration.ofSeconds(20); // the raw connections below never bind: keep the bind timer out of it
    }

    @Test
    void aConnectionOverTheLimitIsClosedAndOthersAreUntouched() throws Exception {
        bind(ACME, BindType.TRANSCEIVER);
        try (RawSmppSocket second = new RawSmppSocket(server.port());
             RawSmppSocket third = new RawSmppSocket(server.port())) {
            // Which of the two is counted last depends on which event loop runs first: exactly one is refused.
            boolean secondClosed = second.closedWithin(300);
            boolean thirdClosed = third.closedWithin(2_000);
            if (!secondClosed && !thirdClosed) {
                secondClosed = second.closedWithin(300);
            }
            assertTrue(secondClosed ^ thirdClosed, "exactly one connection over the limit is refused (second "
                    + secondClosed + ", third " + thirdClosed + ")");
        }
        assertEquals(1, server.sessions().boundCount("acme"));
    }
}
