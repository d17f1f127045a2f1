package io.dlrgate.simulator.carrier;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.outcome.DelayRange;
import io.dlrgate.simulator.outcome.OutcomeWeights;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import io.dlrgate.simulator.outcome.Stat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import io.dlrgate.simulator.testing.FakeGatewayServer;
import io.dlrgate.simulator.testing.FakeGatewayServer.ReceivedReceipt;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated carrier against a fake gateway over real loopback sockets. */
class SimulatedCarrierTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-27T19:50:00Z"), ZoneOffset.UTC);

    private FakeGatewayServer gateway;
    private final List<SimulatedCarrier> carriers = new ArrayList<>();

    @BeforeEach
    void startGateway() throws Exception {
        gateway = FakeGatewayServer.start("carrier1", "pw1");
    }

    @AfterEach
    void stopAll() {
        carriers.forEach(SimulatedCarrier::stop);
        gateway.close();
    }

    private SimCarrierSettings.Builder config() {
        return SimCarrierSettings.builder("carrier1", "pw1").port(gateway.port()).delay(new DelayRange(0, 20))
                .reconnect(50, 200).retry(5, 50);
    }

    private SimulatedCarrier start(SimCarrierSettings config) throws InterruptedException {
        return start(new SimulatedCarrier(config, new io.dlrgate.simulator.outcome.WeightedOutcomePolicy(
                config.weights(), config.enroute(), config.delay(), config.seed()), FIXED));
    }

    private SimulatedCarrier start(SimulatedCarrier c) throws InterruptedException {
        carriers.add(c);
        c.start();
        assertTrue(c.awaitBound(WAIT), "carrier bound");
        assertTrue(gateway.awaitSessions(c.config().sessions() * c.config().bindTypes().size(), WAIT));
        return c;
    }

    private List<String> submit(int n, String prefix) throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(gateway.submit("DLRGATE", prefix + String.format("%05d", i), "Message number " + i + " for you"));
        }
        return ids;
    }

    @Test
    void outcomesFollowTheWeightsExactly() throws Exception {
        String weights = "DELIVRD=50,UNDELIV=20,EXPIRED=10,DELETED=10,REJECTD=10";
        SimulatedCarrier carrier = start(config().weights(OutcomeWeights.parse(weights)).seed(42).build());
        int n = 600;
        List<String> ids = submit(n, "44770");
        assertTrue(carrier.awaitReceiptsSettled(WAIT), "all receipts acknowledged");

        // independent count: java.util.Random(42), one nextInt(100) per submit, cumulative weights in order
        Random random = new Random(42);
        Map<Stat, Long> expected = new EnumMap<>(Stat.class);
        List<Stat> expectedSequence = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int v = random.nextInt(100);
            Stat s = v < 50 ? Stat.DELIVRD : v < 70 ? Stat.UNDELIV : v < 80 ? Stat.EXPIRED : v < 90 ? Stat.DELETED
                    : Stat.REJECTD;
            expected.merge(s, 1L, Long::sum);
            expectedSequence.add(s);
        }
        assertEquals(expected, new EnumMap<>(carrier.ledger().finalStatCounts()));

        // what the gateway received agrees, id by id
        Map<String, String> statById = new HashMap<>();
        for (ReceivedReceipt r : gateway.acknowledged()) {
            assertEquals(null, statById.put(r.id(), r.stat()), "one receipt per id");
        }
        for (int i = 0; i < n; i++) {
            assertEquals(expectedSequence.get(i).name(), statById.get(ids.get(i)), "stat of submit " + i);
        }
        CarrierStats stats = carrier.stats();
        assertEquals(n, stats.submitsReceived());
        assertEquals(n, stats.receiptsSent());
        assertEquals(n, stats.receiptsAcknowledged());
        assertEquals(0, stats.throttledRetries());
        assertEquals(n, gateway.acknowledgedCount());
    }

    @Test
    void sameSeedTwiceGivesTheSameLedger() throws Exception {
        List<Ledger.Entry> first = runSeeded(1234, IdFormat.UUID);
        List<Ledger.Entry> second = runSeeded(1234, IdFormat.UUID);
        List<Ledger.Entry> other = runSeeded(4321, IdFormat.UUID);
        assertEquals(150, first.size());
        assertEquals(first, second);
        assertNotEquals(first, other);
        assertTrue(first.stream().allMatch(Ledger.Entry::allAcknowledged));
        assertTrue(first.stream().allMatch(e -> e.receipts().get(0).stat() == Stat.ENROUTE));
    }

    private List<Ledger.Entry> runSeeded(long seed, IdFormat format) throws Exception {
        SimulatedCarrier carrier = start(config().weights(OutcomeWeights.parse("DELIVRD=6,UNDELIV=2,EXPIRED=1,DELETED=1"))
                .enroute(true).idFormat(format).seed(seed).build());
        submit(150, "3361234");
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        carrier.stop();
        return carrier.ledger().entries();
    }

    @Test
    void ledgerRecordsWhatWasReceivedAndDecided() throws Exception {
        SimulatedCarrier carrier = start(config().weights(OutcomeWeights.parse("EXPIRED=1")).idFormat(IdFormat.HEX)
                .idStart(0x812FC7470000001BL).build());
        String id = gateway.submit("DLRGATE", "447700900123", "Your code is 123456, valid 5 min");
        assertEquals("812FC7470000001B", id);
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        Ledger.Entry e = carrier.ledger().entries().get(0);
        assertEquals(new Ledger.Entry(1, "DLRGATE", "447700900123", "Your code is 123456, valid 5 min",
                "812FC7470000001B", 0, List.of(new Ledger.ReceiptRecord(Stat.EXPIRED, "027",
                e.receipts().get(0).delayMillis(), false, Ledger.ReceiptState.ACKNOWLEDGED, 1, 0, 0))), e);
        ReceivedReceipt r = gateway.acknowledged().get(0);
        assertEquals("id:812FC7470000001B sub:001 dlvrd:000 submit date:2611271950 done date:2611271950 "
                + "stat:EXPIRED err:027 text:Your code is 123456,", r.text());
        assertEquals("447700900123", r.source());
        assertEquals("DLRGATE", r.destination());
        StringWriter json = new StringWriter();
        carrier.ledger().writeJsonLines(json);
        assertTrue(json.toString().startsWith("{\"sequence\":1,\"source\":\"DLRGATE\",\"destination\":\"447700900123\""),
                json.toString());
    }

    @Test
    void aThrottledEnrouteStillComesBeforeTheFinalReceipt() throws Exception {
        // Found in review: each receipt of a message was queued on its own, so a throttled ENROUTE, retried after
        // its back-off, arrived after the DELIVRD planned 50 ms behind it. An SMSC reports states in order.
        java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
        gateway.answerReceipts((r, n) -> r.stat().equals("ENROUTE") && once.compareAndSet(false, true)
                ? SmppConstants.STATUS_THROTTLED : SmppConstants.STATUS_OK);
        SimulatedCarrier carrier = start(new SimulatedCarrier(config().retry(300, 1000).build(),
                v -> Decision.accept(List.of(PlannedReceipt.of(Stat.ENROUTE, 10, true),
                        PlannedReceipt.of(Stat.DELIVRD, 60, false))), FIXED));
        submit(1, "4917");
        assertTrue(carrier.awaitReceiptsSettled(WAIT), "settled: " + carrier.stats());
        assertEquals(List.of("ENROUTE", "DELIVRD"), gateway.acknowledged().stream().map(ReceivedReceipt::stat).toList());
        assertEquals(1, carrier.stats().throttledRetries());
    }

    @Test
    void everyTemporaryErrorAGatewayMayAnswerIsRetried() throws Exception {
        // 0x64 (ESME_RX_T_APPN) is SMPP 3.4's temporary application error: carriers retry it like 0x58; the
        // gateway's throttle_status may be any of these (found in review: 0x64 was taken as final).
        List<Integer> temporary = List.of(SmppConstants.STATUS_THROTTLED, 0x14, 0x08, 0x64);
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        gateway.answerReceipts((r, n) -> attempts.computeIfAbsent(r.id(), k -> new AtomicInteger()).incrementAndGet() == 1
                ? temporary.get(Math.floorMod(r.id().hashCode(), temporary.size())) : SmppConstants.STATUS_OK);
        SimulatedCarrier carrier = start(config().build());
        int n = 40;
        List<String> ids = submit(n, "4916");
        assertTrue(carrier.awaitReceiptsSettled(WAIT), "settled: " + carrier.stats());
        assertEquals(new HashSet<>(ids), gateway.acknowledgedIds().keySet(), "every receipt acknowledged in the end");
        assertEquals(n, carrier.stats().throttledRetries());
        assertEquals(0, carrier.stats().receiptsRefused());
    }

    @Test
    void throttledReceiptsAreRetriedUntilAcknowledgedAndNoneIsLost() throws Exception {
        // the gateway answers 0x58 to the first two attempts of every receipt
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        gateway.answerReceipts((r, n) -> attempts.computeIfAbsent(r.id(), k -> new AtomicInteger()).incrementAndGet() <= 2
                ? SmppConstants.STATUS_THROTTLED : SmppConstants.STATUS_OK);
        SimulatedCarrier carrier = start(config().weights(OutcomeWeights.parse("DELIVRD=3,UNDELIV=1")).build());
        int n = 200;
        List<String> ids = submit(n, "4915");
        assertTrue(carrier.awaitReceiptsSettled(WAIT), "settled: " + carrier.stats());

        Map<String, Integer> acked = gateway.acknowledgedIds();
        assertEquals(new HashSet<>(ids), acked.keySet());
        assertTrue(acked.values().stream().allMatch(v -> v == 1), "each receipt acknowledged exactly once");
        CarrierStats s = carrier.stats();
        assertEquals(n, s.receiptsAcknowledged());
        assertEquals(2L * n, s.throttledRetries());
        assertEquals(gateway.throttledCount(), s.throttledRetries());
        assertEquals(3L * n, s.receiptsSent());
        assertEquals(gateway.receiptCount(), s.receiptsSent());
        for (Ledger.Entry e : carrier.ledger().entries()) {
            Ledger.ReceiptRecord r = e.receipts().get(0);
            assertEquals(Ledger.ReceiptState.ACKNOWLEDGED, r.state());
            assertEquals(3, r.attempts());
            assertEquals(2, r.throttled());
        }
    }

    @Test
    void reconnectsAfterTheGatewayDropsTheSessionAndLosesNoReceipt() throws Exception {
        SimulatedCarrier carrier = start(config().delay(new DelayRange(0, 400)).build());
        List<String> ids = new ArrayList<>(submit(100, "3312"));
        gateway.dropSessions(); // many receipts are still waiting for their delay, some may be in flight
        await().atMost(WAIT).until(() -> carrier.stats().reconnects() >= 1 && carrier.boundSessions() == 1
                && gateway.boundSessions() == 1);
        ids.addAll(submit(100, "3313"));
        assertTrue(carrier.awaitReceiptsSettled(WAIT), "settled: " + carrier.stats());
        assertEquals(new HashSet<>(ids), gateway.acknowledgedIds().keySet());
        assertEquals(200, carrier.stats().receiptsAcknowledged());
        assertTrue(gateway.binds() >= 2);
    }

    @Test
    void rebindsWithBackoffWhileTheGatewayIsDown() throws Exception {
        int port = gateway.port();
        gateway.close();
        SimulatedCarrier carrier = new SimulatedCarrier(config().port(port).build());
        carriers.add(carrier);
        carrier.start();
        await().atMost(WAIT).until(() -> carrier.stats().bindFailures() >= 2);
        assertEquals(0, carrier.boundSessions());
        gateway = FakeGatewayServer.startOnPort("carrier1", "pw1", port);
        assertTrue(carrier.awaitBound(WAIT));
        assertEquals("1000000000", gateway.submit("DLRGATE", "4412345", "after the outage"));
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        assertEquals(1, gateway.acknowledgedCount());
    }

    @Test
    void enrouteIsSentFirstWithItsEsmClass() throws Exception {
        SimulatedCarrier carrier = start(config().weights(OutcomeWeights.parse("DELIVRD=1")).enroute(true).build());
        String id = gateway.submit("DLRGATE", "4412345", "hello");
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        List<ReceivedReceipt> got = gateway.acknowledged();
        assertEquals(2, got.size());
        assertEquals("ENROUTE", got.get(0).stat());
        assertEquals(0x20, got.get(0).esmClass());
        assertEquals("DELIVRD", got.get(1).stat());
        assertEquals(0x04, got.get(1).esmClass());
        assertEquals(id, got.get(0).id());
        assertEquals(id, got.get(1).id());
    }

    @Test
    void dialectTravelsOverTheWire() throws Exception {
        ReceiptDialect d = ReceiptDialect.STANDARD.withDataSm(true).withLabels(ReceiptDialect.LabelCase.UPPER)
                .withTlvs(false).withIdStyle(ReceiptDialect.IdStyle.HEX).withDateDigits(12);
        SimulatedCarrier carrier = start(config().weights(OutcomeWeights.parse("DELETED=1")).dialect(d)
                .idStart(255).build());
        assertEquals("255", gateway.submit("DLRGATE", "4412345", "hello"));
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        ReceivedReceipt r = gateway.acknowledged().get(0);
        assertEquals(SmppConstants.CMD_ID_DATA_SM, r.commandId());
        assertEquals("", r.shortMessage());
        assertEquals("ID:FF SUB:001 DLVRD:000 SUBMIT DATE:261127195000 DONE DATE:261127195000 STAT:DELETED ERR:000 "
                + "TEXT:hello", r.text());
        assertNull(r.tlvs().get(SmppConstants.TAG_RECEIPTED_MSG_ID));
    }

    @Test
    void receiverAndTransmitterBindsSplitTheWork() throws Exception {
        SimulatedCarrier carrier = start(config().bindTypes(List.of(SmppBindType.RECEIVER, SmppBindType.TRANSMITTER))
                .sessions(2).build());
        assertTrue(gateway.awaitSessions(4, WAIT));
        List<String> ids = submit(50, "4420");
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        assertEquals(new HashSet<>(ids), gateway.acknowledgedIds().keySet());
        assertEquals(4, carrier.stats().boundSessions());
    }

    @Test
    void aPolicyCanRejectOrStaySilent() throws Exception {
        AtomicInteger n = new AtomicInteger();
        SimulatedCarrier carrier = start(new SimulatedCarrier(config().build(), submit -> switch (n.incrementAndGet()) {
            case 1 -> Decision.reject(SmppConstants.STATUS_INVDSTADR);
            case 2 -> Decision.silence();
            default -> Decision.accept(List.of(PlannedReceipt.of(Stat.UNKNOWN, 0, false)));
        }, FIXED));
        SubmitSmResp rejected = gateway.submitRaw("DLRGATE", "1", "a");
        assertEquals(SmppConstants.STATUS_INVDSTADR, rejected.getCommandStatus());
        gateway.submit("DLRGATE", "2", "b");
        String third = gateway.submit("DLRGATE", "3", "c");
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        assertEquals(1, gateway.acknowledgedCount());
        assertEquals(third, gateway.acknowledged().get(0).id());
        List<Ledger.Entry> ledger = carrier.ledger().entries();
        assertNull(ledger.get(0).messageId());
        assertEquals(SmppConstants.STATUS_INVDSTADR, ledger.get(0).submitStatus());
        assertTrue(ledger.get(1).receipts().isEmpty());
        assertEquals(1, carrier.stats().submitsRejected());
        assertEquals(List.of("1000000000", third), carrier.ledger().issuedIds());
    }

    @Test
    void severalSessionsShareOneIdSpace() throws Exception {
        SimulatedCarrier carrier = start(config().sessions(3).build());
        assertTrue(gateway.awaitSessions(3, WAIT));
        List<String> ids = submit(90, "4430");
        assertEquals(90, new HashSet<>(ids).size());
        assertTrue(carrier.awaitReceiptsSettled(WAIT));
        Set<Long> sessionsUsed = new HashSet<>();
        gateway.acknowledged().forEach(r -> sessionsUsed.add(r.sessionId()));
        assertEquals(3, sessionsUsed.size());
    }
}
