package io.dlrgate.gateway.smpp;

import static io.dlrgate.gateway.smpp.RawSmppSocket.assertResponse;
import static io.dlrgate.gateway.smpp.RawSmppSocket.bindTransceiver;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.BindTransceiverResp;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * max_connections counts bound sessions, all carriers together, and is enforced at bind (ch-smpp itself only logs a
 * warning when it is exceeded). Connections that have not bound yet do not count against it: they have their own
 * budget (see {@link SmppUnboundFloodTest}).
 */
class SmppConnectionLimitTest extends GatewayServerTestBase {

    @Override
    int maxConnections() {
        return 2;
    }

    @Override
    Duration bindTimeout() {
        return Duration.ofSeconds(20); // the raw connections below bind late or never: keep the bind timer out of it
    }

    @Test
    void aBindOverTheLimitIsRefusedAndTheSessionsAreUntouched() throws Exception {
        try (RawSmppSocket first = new RawSmppSocket(server.port());
             RawSmppSocket second = new RawSmppSocket(server.port());
             RawSmppSocket third = new RawSmppSocket(server.port());
             RawSmppSocket fourth = new RawSmppSocket(server.port())) {
            // Four connections open at once, over max_connections: not bound yet, none is refused.
            assertFalse(fourth.closedWithin(300), "an unbound connection does not count against max_connections");
            first.bindOk(LOCAL);
            second.bindOk(ACME);
            third.send(bindTransceiver(LOCAL, 1));
            assertResponse(third.read(), BindTransceiverResp.class, SmppConstants.STATUS_BINDFAIL, 1);
            assertTrue(third.closedWithin(2_000), "the refused bind's connection is closed");
            assertEquals(1, refused(GatewayMetrics.REFUSED_MAX_CONNECTIONS));
            // A session is counted just after its bind_resp is written (BindHandler.completeBind): the client can
            // read the answer first, so the count is awaited, not read at once.
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertEquals(1, server.sessions().boundCount("local"));
                assertEquals(1, server.sessions().boundCount("acme"));
            });
            assertFalse(first.closedWithin(100), "the sessions bound before stay");
            assertFalse(second.closedWithin(100), "the sessions bound before stay");
        }
    }
}
