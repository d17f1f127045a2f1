package io.dlrgate.gateway.smpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.metrics.GatewayMetrics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A stranger flooding the listener with connections that never bind cannot keep a carrier from binding: unbound
 * connections have their own budget, and one address may hold only max_unbound_per_address of it. Uses 127.0.0.2
 * as the stranger (all of 127.0.0.0/8 is loopback on Linux) and 127.0.0.1 for the carrier.
 */
class SmppUnboundFloodTest extends GatewayServerTestBase {

    private static final int FLOOD = 40;
    private static final int CARRIER_BINDS = 10;

    @Override
    int maxConnections() {
        return 10; // fewer than the flood: with one budget for everyone, the flood alone would fill it
    }

    @Override
    Duration bindTimeout() {
        return Duration.ofSeconds(20); // the flood is held open for the whole test
    }

    @Test
    void aCarrierBindsEveryTimeWhileOneAddressHoldsAFloodOfUnboundConnections() throws Exception {
        InetAddress stranger = InetAddress.getByName("127.0.0.2");
        List<RawSmppSocket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < FLOOD; i++) {
                flood.add(new RawSmppSocket(server.port(), stranger));
            }
            int perAddress = maxUnboundPerAddress();
            await().atMost(WAIT).until(() -> refused(GatewayMetrics.REFUSED_MAX_UNBOUND_PER_ADDRESS) == FLOOD - perAddress);
            for (int i = 0; i < CARRIER_BINDS; i++) {
                // The stranger keeps knocking between the carrier's binds.
                for (int k = 0; k < 3; k++) {
                    flood.add(new RawSmppSocket(server.port(), stranger));
                }
                try (RawSmppSocket carrier = new RawSmppSocket(server.port())) {
                    carrier.bindOk(ACME);
                }
                await().atMost(WAIT).until(() -> server.sessions().boundCount("acme") == 0);
            }
            int expectedRefusals = FLOOD - perAddress + 3 * CARRIER_BINDS;
            await().atMost(WAIT).until(() -> refused(GatewayMetrics.REFUSED_MAX_UNBOUND_PER_ADDRESS) == expectedRefusals);
            System.out.printf("%d connections from %s: %d held open, %d refused; the carrier bound %d times of %d%n",
                    flood.size(), stranger.getHostAddress(), flood.size() - expectedRefusals, expectedRefusals,
                    CARRIER_BINDS, CARRIER_BINDS);
            int open = 0;
            for (RawSmppSocket s : flood) {
                if (!s.closedWithin(50)) {
                    open++;
                }
            }
            assertEquals(perAddress, open, "the stranger holds max_unbound_per_address connections, no more");
            assertTrue(refused(GatewayMetrics.REFUSED_MAX_UNBOUND) == 0, "the global unbound budget was never full");
        } finally {
            for (RawSmppSocket s : flood) {
                s.close();
            }
        }
    }
}
