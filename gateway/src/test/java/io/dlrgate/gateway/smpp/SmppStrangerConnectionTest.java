package io.dlrgate.gateway.smpp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.BindType;
import io.dlrgate.config.CarrierConfig;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * When every carrier has an allow-list, a connection from outside all of them is closed at once and does not take
 * a place in the unbound budget: unbound connections hold a place until their bind timer runs out, so strangers
 * could otherwise lock the carriers out. Uses 127.0.0.2 as the stranger (all of 127.0.0.0/8 is loopback on Linux).
 */
class SmppStrangerConnectionTest extends GatewayServerTestBase {

    static final CarrierConfig ONLY_LOOPBACK_ONE = carrier("one", "one", "pw", EnumSet.allOf(BindType.class), 2,
            List.of("127.0.0.1/32"));

    @Override
    List<CarrierConfig> carrierConfigs() {
        return List.of(ONLY_LOOPBACK_ONE, FENCED);
    }

    @Override
    int maxConnections() {
        return 2;
    }

    @Override
    Duration bindTimeout() {
        return Duration.ofSeconds(20); // the strangers below never bind: keep the bind timer out of it
    }

    @Test
    void strangersAreClosedAtOnceAndLeaveTheSlotsToCarriers() throws Exception {
        InetAddress stranger = InetAddress.getByName("127.0.0.2");
        List<RawSmppSocket> strangers = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) { // more than max_unbound_per_address
                RawSmppSocket s = new RawSmppSocket(server.port(), stranger);
                strangers.add(s);
                assertTrue(s.closedWithin(2_000), "stranger " + i + " closed at once");
            }
            try (RawSmppSocket carrier = new RawSmppSocket(server.port())) {
                carrier.bindOk(ONLY_LOOPBACK_ONE);
                assertFalse(carrier.closedWithin(300), "the carrier's connection stays open");
                assertEquals(1, server.sessions().boundCount("one"));
            }
            assertEquals(5, refused(io.dlrgate.gateway.metrics.GatewayMetrics.REFUSED_ALLOWED_IPS));
            assertEquals(0, refused(io.dlrgate.gateway.metrics.GatewayMetrics.REFUSED_MAX_UNBOUND_PER_ADDRESS),
                    "strangers never took a place in the unbound budget");
        } finally {
            for (RawSmppSocket s : strangers) {
                s.close();
            }
        }
    }

    @Test
    void anyCarrierWithoutAnAllowListLetsEveryAddressIn() {
        assertTrue(SmppGatewayServer.acceptFrom(List.of(ONLY_LOOPBACK_ONE, ACME)).allowsAll());
        assertFalse(SmppGatewayServer.acceptFrom(List.of(ONLY_LOOPBACK_ONE, FENCED)).allowsAll());
    }
}
