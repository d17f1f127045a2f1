package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.SmppSession;
import com.cloudhopper.smpp.pdu.SubmitSmResp;
import com.cloudhopper.smpp.type.SmppBindException;
import com.cloudhopper.smpp.type.SmppTimeoutException;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.testing.TestEsme;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The simulator as an SMSC: an ESME (ch-smpp's client, in the test) binds to the scenario's carriers, submits,
 * and gets the receipts the scenario's seeded outcomes decide, on the right binds; the ledger is the SMSC's; each
 * SMSC-side fault does what it says.
 */
class SmscRoleTest {
    static final String CARRIER = """
            carriers:
              - id: alpha
                password: alpha-pw
                prefixes: ["+44"]
                receipt_delay: 0ms..30ms
            """;
    static final String MIXED_RULES = """
            rules:
              - name: mixed
                weights:
                  - {weight: 60, outcome: {stat: DELIVRD, intermediates: [ENROUTE]}}
                  - {weight: 20, outcome: UNDELIV}
                  - {weight: 20, outcome: EXPIRED}
            """;
    static final Duration WAIT = Duration.ofSeconds(30);

    static Scenario scenario(String yaml) {
        return ScenarioLoader.fromYaml("name: smsc test\nrole: smsc\nseed: 7\n" + yaml, "smsc.yaml", null);
    }

    static String number(int i) {
        return String.format("4477009%05d", i);
    }

    static ScenarioRunner listen(Scenario s) throws Exception {
        ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", 0);
        assertFalse(runner.start(Duration.ZERO), "no ESME has bound yet");
        assertTrue(runner.smscPort() > 0, "port 0 listens on a free port and says which");
        return runner;
    }

    static void awaitSettled(ScenarioRunner runner, long accepted) throws InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end && (runner.receiptsOutstanding() > 0
                || runner.totals().receiptsPlanned() < accepted)) {
            Thread.sleep(10);
        }
        assertEquals(0, runner.receiptsOutstanding(), "every receipt answered by the ESME");
    }

    /** Submits n messages, returns the issued id per number (with '+', as the ledger writes numbers). */
    static Map<String, String> submit(TestEsme esme, int n) throws Exception {
        Map<String, String> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            SubmitSmResp resp = esme.submit(number(i), "hello " + i);
            assertEquals(0, resp.getCommandStatus(), "submit " + i);
            ids.put("+" + number(i), resp.getMessageId());
        }
        return ids;
    }

    /** Each ledger line's id is what the ESME was answered, and its receipts are those the ESME received. */
    static void assertReceiptsMatchLedger(List<ScenarioRunner.LedgerLine> ledger, Map<String, String> ids,
                                          TestEsme esme) {
        Map<String, List<TestEsme.Receipt>> byId = new HashMap<>();
        esme.receipts().forEach(r -> byId.computeIfAbsent(r.id(), k -> new ArrayList<>()).add(r));
        for (ScenarioRunner.LedgerLine l : ledger) {
            assertEquals(ids.get(l.number()), l.messageId(), l.number());
            List<TestEsme.Receipt> got = byId.getOrDefault(l.messageId(), List.of());
            assertEquals(l.receipts().size(), got.size(), "receipts of " + l.number() + ": " + got);
            for (int i = 0; i < got.size(); i++) {
                assertEquals(l.receipts().get(i).stat().name(), got.get(i).stat(), l.number() + " receipt " + i);
            }
            assertEquals(l.finalStat(), got.get(got.size() - 1).stat(), l.number());
        }
    }

    @Test
    void aTransceiverEsmeGetsTheSeededOutcomesAsDeliverSmAndTheLedgerSaysTheSame() throws Exception {
        List<ScenarioRunner.LedgerLine> first = null;
        for (int run = 0; run < 2; run++) {
            try (ScenarioRunner runner = listen(scenario(CARRIER + MIXED_RULES));
                 TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
                esme.bind(SmppBindType.TRANSCEIVER);
                assertTrue(runner.carriers().get("alpha").awaitBound(WAIT), "the ESME's bind submits and receives");
                Map<String, String> ids = submit(esme, 40);
                awaitSettled(runner, 40);
                List<ScenarioRunner.LedgerLine> ledger = runner.ledger();
                assertEquals(40, ledger.size());
                assertReceiptsMatchLedger(ledger, ids, esme);
                assertTrue(esme.receipts().stream().allMatch(r -> r.commandId() == SmppConstants.CMD_ID_DELIVER_SM
                        && r.arrivedOn() == SmppBindType.TRANSCEIVER));
                Set<String> stats = new HashSet<>();
                ledger.forEach(l -> stats.add(l.finalStat()));
                assertEquals(Set.of("DELIVRD", "UNDELIV", "EXPIRED"), stats, "the weights are drawn");
                List<ScenarioRunner.LedgerLine> decisions = ledger.stream().map(
                        ScenarioRunner.LedgerLine::decisionsOnly).toList();
                if (first == null) {
                    first = decisions;
                } else {
                    assertEquals(first, decisions, "same seed, same fates");
                }
            }
        }
    }

    @Test
    void transmitterPlusReceiverGetsDataSmReceiptsOnTheReceiverBindOnly() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER + "    dialect: {pdu: data_sm}\n" + MIXED_RULES));
             TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
            esme.bind(SmppBindType.TRANSMITTER);
            esme.bind(SmppBindType.RECEIVER);
            assertTrue(runner.carriers().get("alpha").awaitBound(WAIT));
            Map<String, String> ids = submit(esme, 20);
            awaitSettled(runner, 20);
            assertReceiptsMatchLedger(runner.ledger(), ids, esme);
            assertFalse(esme.receipts().isEmpty());
            assertTrue(esme.receipts().stream().allMatch(r -> r.commandId() == SmppConstants.CMD_ID_DATA_SM
                    && r.arrivedOn() == SmppBindType.RECEIVER), "data_sm, on the receiver bind");
        }
    }

    @Test
    void receiptsWaitForAReceiverBindAndTheHoldIsBoundedWithMsgQFul() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER + "    hold_receipts: 3\nrules: [{outcome: DELIVRD}]\n"));
             TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
            esme.bind(SmppBindType.TRANSMITTER);
            List<Integer> statuses = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                statuses.add(esme.submit(number(i), "held " + i).getCommandStatus());
            }
            assertEquals(List.of(0, 0, 0, SmppConstants.STATUS_MSGQFUL, SmppConstants.STATUS_MSGQFUL), statuses,
                    "three receipts held, then the queue is full");
            SimulatedCarrier alpha = runner.carriers().get("alpha");
            assertEquals(0, alpha.stats().receiptsSent(), "no receiver bind: nothing sent");
            assertEquals(2, alpha.smscCounts().holdFull());

            esme.bind(SmppBindType.RECEIVER);
            assertTrue(esme.awaitReceipts(3, WAIT), "held receipts go out once a receiver binds");
            awaitSettled(runner, 3);
            assertEquals(0, esme.submit(number(9), "after").getCommandStatus(), "room again");
            List<ScenarioRunner.LedgerLine> ledger = runner.ledger();
            assertEquals(6, ledger.size());
            assertEquals(2, ledger.stream().filter(l -> l.submitStatus() == SmppConstants.STATUS_MSGQFUL
                    && l.tab() == null).count(), "a full queue is no message of its own (the ESME sends it again)");
        }
    }

    @Test
    void wrongPasswordAndUnknownSystemIdAreRefusedWithTheirStatus() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER))) {
            try (TestEsme wrong = new TestEsme(runner.smscPort(), "alpha", "nope")) {
                SmppBindException e = assertThrows(SmppBindException.class, () -> wrong.bind(SmppBindType.TRANSCEIVER));
                assertEquals(SmppConstants.STATUS_INVPASWD, e.getBindResponse().getCommandStatus());
            }
            try (TestEsme unknown = new TestEsme(runner.smscPort(), "zulu", "alpha-pw")) {
                SmppBindException e = assertThrows(SmppBindException.class,
                        () -> unknown.bind(SmppBindType.TRANSCEIVER));
                assertEquals(SmppConstants.STATUS_INVSYSID, e.getBindResponse().getCommandStatus());
            }
            assertEquals(1, runner.carriers().get("alpha").stats().bindFailures());
        }
    }

    @Test
    void refuseBindsRefusesTheFirstBindsWithTheChosenStatusThenAccepts() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER
                + "    faults: {refuse_binds: {status: ESME_RINVPASWD, times: 2}}\n"));
             TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
            for (int i = 0; i < 2; i++) {
                SmppBindException e = assertThrows(SmppBindException.class, () -> esme.bind(SmppBindType.TRANSCEIVER));
                assertEquals(SmppConstants.STATUS_INVPASWD, e.getBindResponse().getCommandStatus(), "bind " + i);
            }
            SmppSession s = esme.bind(SmppBindType.TRANSCEIVER);
            assertTrue(s.isBound(), "the third bind is accepted");
            assertEquals(2, runner.carriers().get("alpha").smscCounts().bindsRefused());
        }
    }

    @Test
    void throttleRateAnswersSubmitsAboveTheRateWithThrottledAndTheLedgerCountsThemAsNoMessage() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER + "    faults: {throttle_rate: 3}\n"));
             TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
            esme.bind(SmppBindType.TRANSCEIVER);
            int throttled = 0;
            for (int i = 0; i < 60; i++) {
                int status = esme.submit(number(i), "rate " + i).getCommandStatus();
                assertTrue(status == 0 || status == SmppConstants.STATUS_THROTTLED, "status " + status);
                throttled += status == SmppConstants.STATUS_THROTTLED ? 1 : 0;
            }
            assertTrue(throttled > 0, "60 submits back to back go above 3 per second");
            assertEquals(throttled, runner.carriers().get("alpha").smscCounts().rateThrottled());
            List<ScenarioRunner.LedgerLine> ledger = runner.ledger();
            assertEquals(throttled, ledger.stream().filter(l -> l.submitStatus() == SmppConstants.STATUS_THROTTLED)
                    .peek(l -> assertNull(l.tab())).count());
        }
    }

    @Test
    void dropConnectionClosesTheBindAfterNSubmitsAndTheReceiptsFollowTheRebind() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER
                + "    faults: {drop_connection: {after_submits: 4, times: 1}}\nrules: [{outcome: DELIVRD}]\n"))) {
            TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw");
            try {
                SmppSession first = esme.bind(SmppBindType.TRANSCEIVER);
                for (int i = 0; i < 4; i++) {
                    assertEquals(0, esme.submit(number(i), "drop " + i).getCommandStatus(), "answered before the drop");
                }
                long end = System.nanoTime() + WAIT.toNanos();
                // (a ch-smpp client session stays "bound" when its peer closes the connection: ask the channel)
                io.netty.channel.Channel channel = ((com.cloudhopper.smpp.impl.DefaultSmppSession) first).getChannel();
                while (channel.isActive() && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                assertFalse(channel.isActive(), "the SMSC closed the connection after the 4th submit");
                first.destroy();
                esme.bind(SmppBindType.TRANSCEIVER);
                for (int i = 4; i < 8; i++) {
                    assertEquals(0, esme.submit(number(i), "drop " + i).getCommandStatus());
                }
                awaitSettled(runner, 8);
                Set<String> ids = new HashSet<>();
                esme.receipts().forEach(r -> ids.add(r.id()));
                Set<String> ledgerIds = new HashSet<>();
                runner.ledger().forEach(l -> ledgerIds.add(l.messageId()));
                assertEquals(ledgerIds, ids, "every message got its receipt, also those due while the bind was down");
                assertEquals(1, runner.carriers().get("alpha").smscCounts().connectionsDropped(), "times: 1");
            } finally {
                esme.close();
            }
        }
    }

    @Test
    void lateAnswersComeAfterTheDelaySoAShortRequestTimeoutFires() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER + "    faults: {late_answers: {share: 1, delay: 3s}}\n"));
             TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
            esme.bind(SmppBindType.TRANSCEIVER);
            assertThrows(SmppTimeoutException.class, () -> esme.submit(number(1), "late", 300));
            SubmitSmResp resp = esme.submit(number(2), "late but waited for", 20_000);
            assertEquals(0, resp.getCommandStatus());
            assertEquals(2, runner.carriers().get("alpha").smscCounts().lateAnswers());
            assertEquals(2, runner.ledger().size(), "both are in the ledger: the SMSC took both");
        }
    }

    @Test
    void receiptsOnReceiverOnlyNeverUsesTheTransceiverBind() throws Exception {
        try (ScenarioRunner runner = listen(scenario(CARRIER + "    faults: {receipts_on_receiver_only: true}\n"
                + "rules: [{outcome: DELIVRD}]\n"));
             TestEsme esme = new TestEsme(runner.smscPort(), "alpha", "alpha-pw")) {
            esme.bind(SmppBindType.TRANSCEIVER);
            for (int i = 0; i < 3; i++) {
                assertEquals(0, esme.submit(number(i), "rx " + i).getCommandStatus());
            }
            assertEquals(0, runner.carriers().get("alpha").stats().receiptsSent(), "not on the transceiver");
            esme.bind(SmppBindType.RECEIVER);
            awaitSettled(runner, 3);
            assertEquals(3, esme.receiptsOn(SmppBindType.RECEIVER).size());
            assertEquals(0, esme.receiptsOn(SmppBindType.TRANSCEIVER).size());
        }
    }
}
