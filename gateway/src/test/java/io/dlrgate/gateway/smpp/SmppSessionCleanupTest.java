package io.dlrgate.gateway.smpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.TestCarrier;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A closed session leaves nothing scheduled behind: each bound session's send window runs a periodic expiry check,
 * and a carrier that reconnects all day must not pile up checks of dead sessions until the garbage collector
 * happens to reclaim them.
 */
class SmppSessionCleanupTest extends GatewayServerTestBase {

    @Test
    void closedSessionsStopTheirWindowChecks() throws Exception {
        int before = server.scheduledWindowChecks();
        TestCarrier open = bind(ACME, BindType.TRANSCEIVER);
        assertEquals(before + 1, server.scheduledWindowChecks(), "a bound session has its window check");

        for (int i = 0; i < 5; i++) {
            int closedBefore = listener.closed.size();
            TestCarrier c = bind(ACME, BindType.TRANSCEIVER);
            if (i % 2 == 0) {
                c.unbind(WAIT);
            } else {
                c.drop();
            }
            await().atMost(WAIT).until(() -> listener.closed.size() > closedBefore);
        }
        // Unbound or dropped, the five closed sessions leave no check behind; the open one keeps its own.
        await().atMost(Duration.ofSeconds(5)).until(() -> server.scheduledWindowChecks() == before + 1);
        open.unbind(WAIT);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.scheduledWindowChecks() == before);
    }
}
