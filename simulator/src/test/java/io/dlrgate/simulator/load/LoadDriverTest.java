package io.dlrgate.simulator.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import io.dlrgate.simulator.testing.FakeGatewayServer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LoadDriverTest {
    private FakeGatewayServer gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = FakeGatewayServer.start("loader", "pw");
    }

    @AfterEach
    void stop() {
        gateway.close();
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ids.add(Integer.toString(5_000_000 + i));
        }
        return ids;
    }

    @Test
    void reportsWhatTheGatewayAcknowledged() throws Exception {
        gateway.recordReceipts(false);
        gateway.answerReceipts((r, n) -> n % 7 == 0 ? SmppConstants.STATUS_THROTTLED : SmppConstants.STATUS_OK);
        LoadDriver.Settings s = LoadDriver.Settings.defaults("127.0.0.1", gateway.port(), "loader", "pw")
                .withSessions(3).withWindow(20).withCount(6_000).withRetryDelayMillis(2)
                .withMaxTime(Duration.ofSeconds(60));
        LoadReport report = new LoadDriver(s, ids(1_000)).run();

        assertEquals(3, report.sessions());
        assertEquals(6_000, report.acknowledged());
        assertEquals(gateway.acknowledgedCount(), report.acknowledged());
        assertEquals(gateway.throttledCount(), report.throttled());
        assertEquals(gateway.receiptCount(), report.pdusSent());
        assertEquals(report.acknowledged() + report.throttled(), report.pdusSent());
        assertTrue(report.throttled() >= 6_000 / 7, "throttled " + report.throttled());
        assertEquals(0, report.unfinished());
        assertEquals(0, report.refused());
        assertTrue(report.p50Micros() > 0 && report.p50Micros() <= report.p99Micros()
                && report.p99Micros() <= report.maxMicros(), report.describe());
        assertTrue(report.acknowledgedPerSecond() > 0);
        assertTrue(report.describe().contains("6000 acknowledged OK"), report.describe());
    }

    @Test
    void everyIdGetsItsReceiptInTheChosenDialect() throws Exception {
        LoadDriver.Settings s = LoadDriver.Settings.defaults("localhost", gateway.port(), "loader", "pw")
                .withSessions(2).withWindow(5).withCount(300).withBindType(SmppBindType.TRANSMITTER)
                .withDialect(ReceiptDialect.STANDARD.withDataSm(true).withIdStyle(ReceiptDialect.IdStyle.HEX));
        LoadReport report = new LoadDriver(s, ids(300)).run();
        assertEquals(300, report.acknowledged());
        Set<String> got = new HashSet<>();
        gateway.acknowledged().forEach(r -> {
            assertEquals(SmppConstants.CMD_ID_DATA_SM, r.commandId());
            assertTrue(r.text().startsWith("id:" + Long.toHexString(Long.parseLong(r.id())).toUpperCase()), r.text());
            got.add(r.id());
        });
        assertEquals(new HashSet<>(ids(300)), got);
    }

    @Test
    void stopsByItselfAtTheTimeBound() throws Exception {
        gateway.answerReceipts((r, n) -> SmppConstants.STATUS_THROTTLED); // a gateway that never accepts
        LoadDriver.Settings s = LoadDriver.Settings.defaults("127.0.0.1", gateway.port(), "loader", "pw")
                .withSessions(1).withCount(50).withMaxTime(Duration.ofSeconds(2)).withRetryDelayMillis(20);
        long t0 = System.nanoTime();
        LoadReport report = new LoadDriver(s, ids(50)).run();
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertTrue(seconds < 10, "stopped after " + seconds + " s");
        assertEquals(0, report.acknowledged());
        assertEquals(50, report.unfinished());
        assertTrue(report.throttled() >= 50);
    }

    @Test
    void receiptsForTheIdsACarrierReceived() throws Exception {
        // a silent carrier collects ids from submits, then the load sends their receipts
        try (SimulatedCarrier collector = new SimulatedCarrier(SimCarrierSettings.builder("loader", "pw")
                .port(gateway.port()).build(), submit -> Decision.silence(), Clock.systemUTC())) {
            collector.start();
            assertTrue(collector.awaitBound(Duration.ofSeconds(10)));
            for (int i = 0; i < 40; i++) {
                gateway.submit("DLRGATE", "4479" + i, "m" + i);
            }
            List<String> received = collector.ledger().issuedIds();
            assertEquals(40, received.size());
            LoadReport report = new LoadDriver(LoadDriver.Settings.defaults("127.0.0.1", gateway.port(), "loader", "pw")
                    .withSessions(2).withCount(40).withBindType(SmppBindType.TRANSMITTER), received).run();
            assertEquals(40, report.acknowledged());
            assertEquals(new HashSet<>(received), gateway.acknowledgedIds().keySet());
        }
    }

    @Test
    void aRateCapSpacesTheSends() throws Exception {
        LoadReport report = new LoadDriver(LoadDriver.Settings.defaults("127.0.0.1", gateway.port(), "loader", "pw")
                .withSessions(2).withCount(300).withRate(1_000), ids(300)).run();
        assertEquals(300, report.acknowledged());
        // 300 sends 1 ms apart cannot finish in less than 299 ms
        assertTrue(report.seconds() >= 0.29, report.describe());
        assertTrue(report.acknowledgedPerSecond() <= 1_050, report.describe());
    }

    @Test
    void onlyLoopbackTargets() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LoadDriver.Settings.defaults("10.0.0.5", 2775, "a", "b"));
        assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoadDriver.Settings.defaults("example.com", 2775, "a", "b"));
        assertThrows(IllegalArgumentException.class,
                () -> LoadDriver.Settings.defaults("127.0.0.1", 2775, "a", "b").withBindType(SmppBindType.RECEIVER));
    }
}
