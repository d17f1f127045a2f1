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
import java.util.ArrayList;
import java.util.List;
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

    /**
     * Checks do not wait for answers: while a carrier's silent binds are pending, everybody else is still checked
     * at the interval. Before, a pool of two threads waited out each silent bind's request_expiry in turn and the
     * answering carrier got (almost) no check in that time.
     */
    @Test
    void silentBindsDoNotHoldUpTheChecksOfOthers() throws Exception {
        String carriers = CARRIERS + "  - {id: beta, system_id: beta, password: beta-pw, prefixes: [\"+33\"]}\n";
        // 200 ms interval, 4 s to answer: an answering bind should see about 20 checks while the silent wait.
        String smpp = "  enquire_link_interval: 200ms\n  request_expiry: 4s\n";
        List<TestCarrier> all = new ArrayList<>();
        try (GatewayHarness gw = GatewayHarness.start(carriers, smpp, Clock.systemUTC())) {
            try {
                List<TestCarrier> silent = new ArrayList<>();
                for (int i = 0; i < 3; i++) {
                    silent.add(TestCarrier.to(gw.smppPort()).systemId("beta").password("beta-pw")
                            .bindType(BindType.TRANSCEIVER).answerEnquireLinks(false).bind());
                }
                all.addAll(silent);
                List<TestCarrier> healthy = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    healthy.add(TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                            .bindType(BindType.TRANSCEIVER).bind());
                }
                all.addAll(healthy);
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> silent.stream().allMatch(c -> enquireLinks(c) >= 1));
                long[] before = healthy.stream().mapToLong(EnquireLinkKeeperTest::enquireLinks).toArray();
                // The window: from the silent binds' first (unanswered) check until the first of them is closed.
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> gw.gateway().smpp().sessions().boundCount("beta") < 3);
                for (int i = 0; i < healthy.size(); i++) {
                    long checked = enquireLinks(healthy.get(i)) - before[i];
                    assertTrue(checked >= 5, "answering bind " + i + " was checked " + checked
                            + " times while the silent binds were pending (expected about 20)");
                    assertTrue(healthy.get(i).isBound());
                }
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> gw.gateway().smpp().sessions().boundCount("beta") == 0);
                await().atMost(Duration.ofSeconds(10)).until(() -> silent.stream().allMatch(TestCarrier::closedByPeer));
                assertEquals(2, gw.gateway().smpp().sessions().boundCount("alpha"));
            } finally {
                for (TestCarrier c : all) {
                    c.close();
                }
            }
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
