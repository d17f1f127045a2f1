package io.dlrgate.gateway.smpp;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.pdu.EnquireLink;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gateway checks bound sessions with enquire_link and closes those that stop answering. */
class EnquireLinkKeeperTest {

    static final String CARRIERS = """
            carriers:
              - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"]}
            """;
    static final String SMPP = "  enquire_link_interval: 200ms\n  request_expiry: 500ms\n";

    static long enquireLinks(TestCarrier c) {
        return c.otherRequests().stream().filter(r -> r instanceof EnquireLink).count();
    }

    @Test
    void aCarrierThatAnswersStaysBound() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(CARRIERS, SMPP, Clock.systemUTC());
             TestCarrier c = TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                     .bindType(BindType.TRANSCEIVER).bind()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> enquireLinks(c) >= 3);
            assertTrue(c.isBound(), "answered enquire_links keep the session");
            assertEquals(1, gw.gateway().smpp().sessions().boundCount("alpha"));
        }
    }

    @Test
    void aCarrierThatStopsAnsweringIsClosedAndItsSlotFreed() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(CARRIERS, SMPP, Clock.systemUTC());
             TestCarrier dead = TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                     .bindType(BindType.TRANSCEIVER).answerEnquireLinks(false).bind()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> enquireLinks(dead) >= 1);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> gw.gateway().smpp().sessions().boundCount("alpha") == 0);
            await().atMost(Duration.ofSeconds(10)).until(dead::closedByPeer);
        }
    }

    @Test
    void zeroTurnsTheCheckOff() throws Exception {
        try (GatewayHarness gw = GatewayHarness.start(CARRIERS, "  enquire_link_interval: 0s\n", Clock.systemUTC());
             TestCarrier c = TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                     .bindType(BindType.TRANSCEIVER).bind()) {
            Thread.sleep(1_000); // a window in which enquire_links would have come at the test interval
            assertEquals(0, enquireLinks(c));
        }
    }
}
