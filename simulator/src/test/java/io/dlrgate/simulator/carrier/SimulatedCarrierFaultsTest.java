package io.dlrgate.simulator.carrier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.testing.FakeGatewayServer;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Session faults and the control actions of a carrier, against the simulator's own fake gateway. */
class SimulatedCarrierFaultsTest {

    static SimulatedCarrier carrier(FakeGatewayServer gw, CarrierFaults faults, IdFormat format) {
        SimCarrierSettings c = SimCarrierSettings.builder("faulty", "pw").port(gw.port()).idFormat(format)
                .reconnect(20, 100).requestTimeoutMillis(5_000).build();
        return new SimulatedCarrier(c, s -> Decision.accept(List.of(
                new PlannedReceipt(Stat.DELIVRD, "000", 0, false),
                new PlannedReceipt(Stat.DELIVRD, "000", 0, false, PlannedReceipt.Kind.UNKNOWN_ID))),
                Clock.systemUTC()).faults(faults);
    }

    @Test
    void enquireLinksAreLeftUnansweredOnlyWhenAsked() throws Exception {
        try (FakeGatewayServer gw = FakeGatewayServer.start("faulty", "pw");
             SimulatedCarrier polite = carrier(gw, CarrierFaults.NONE, IdFormat.DECIMAL)) {
            polite.start();
            assertTrue(polite.awaitBound(Duration.ofSeconds(10)));
            assertTrue(gw.awaitSessions(1, Duration.ofSeconds(5)));
            assertTrue(gw.enquireLinkAll(2_000), "answered");
        }
        try (FakeGatewayServer gw = FakeGatewayServer.start("faulty", "pw");
             SimulatedCarrier rude = carrier(gw, CarrierFaults.NONE.withIgnoreEnquireLinks(true), IdFormat.DECIMAL)) {
            rude.start();
            assertTrue(rude.awaitBound(Duration.ofSeconds(10)));
            assertTrue(gw.awaitSessions(1, Duration.ofSeconds(5)));
            assertFalse(gw.enquireLinkAll(1_000), "left unanswered");
            assertEquals(1, rude.stats().enquireLinksIgnored());
        }
    }

    @Test
    void receiptsForUnknownIdsCarryIdsNeverIssuedInEachFormat() {
        for (IdFormat f : IdFormat.values()) {
            // Width 20, the default for zero-padded ids: unknown ids (issued + 5*10^18) keep the issued width.
            MessageIdGenerator g = new MessageIdGenerator(f, f == IdFormat.HEX ? 0x812FC74700000000L : 1_000_000_000L,
                    20, 7);
            java.util.Set<String> issued = new java.util.HashSet<>();
            List<MessageIdGenerator.IssuedId> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                MessageIdGenerator.IssuedId id = g.next();
                issued.add(id.text());
                ids.add(id);
            }
            for (MessageIdGenerator.IssuedId id : ids) {
                MessageIdGenerator.IssuedId u = ReceiptScheduler.unknownId(f, id);
                assertFalse(issued.contains(u.text()), f + ": " + u.text());
                if (f == IdFormat.ZERO_PADDED) {
                    assertEquals(20, u.text().length(), u.text());
                }
            }
        }
    }

    @Test
    void aHeldDownCarrierStaysUnboundUntilRestored() throws Exception {
        try (FakeGatewayServer gw = FakeGatewayServer.start("faulty", "pw");
             SimulatedCarrier c = carrier(gw, CarrierFaults.NONE, IdFormat.DECIMAL)) {
            c.start();
            assertTrue(c.awaitBound(Duration.ofSeconds(10)));
            c.holdDown();
            assertTrue(FakeGatewayServer.waitFor(() -> gw.boundSessions() == 0, Duration.ofSeconds(10)));
            // several reconnect back-offs (20..100 ms) later, still down
            Thread.sleep(500);
            assertEquals(0, c.boundSessions());
            assertEquals(0, gw.boundSessions());
            assertTrue(c.stats().heldDown());
            c.restore();
            assertTrue(c.awaitBound(Duration.ofSeconds(10)));
            assertEquals(2, c.stats().binds());
        }
    }
}
