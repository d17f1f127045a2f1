package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.simulator.carrier.Ledger;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Replies from the simulator's rules against a real gateway and PostgreSQL: each rule's reply goes out as a
 * mobile-originated deliver_sm after the message's receipt, the gateway stores it (GSM-7 or UCS-2 by its text) and
 * acknowledges it, the ledger records it, and verify holds the gateway to the opt-outs: the numbers that said STOP
 * are on the suppressed list and the next send skips them.
 */
class RepliesEndToEndTest {
    GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    static final String SCENARIO = """
            name: replies
            seed: 5
            timeout: 60s
            carriers:
              - id: phi
                system_id: phi
                password: phi-pw
                prefixes: ["+44"]
                receipt_delay: 0ms..50ms
            rules:
              - match: {number_regex: "0[0-2]$"}
                outcome: DELIVRD
                reply: {text: "Stop", after: 20ms}
              - match: {number_regex: "0[3-4]$"}
                outcome: DELIVRD
                reply: {text: "Merci 👍", after: 10ms..30ms}
              - outcome: DELIVRD
            sends:
              - campaign: First
                content: "First campaign, reply STOP to opt out"
                contacts: {prefix: "+4477009000", count: 8, width: 2}
              - campaign: Second
                content: "Second campaign"
                contacts: {prefix: "+4477009000", count: 8, width: 2}
                wait_until_final: true
            """;

    @Test
    void optedOutNumbersAreSuppressedAndSkippedByTheNextSend() throws Exception {
        Scenario s = ScenarioLoader.fromYaml(SCENARIO, "replies.yaml", null);
        gw = ScenarioGateway.start(s, "");
        try (ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", gw.smppPort())) {
            assertTrue(runner.start(Duration.ofSeconds(30)), "carriers bound");
            Verifier.Result r = new Verifier(s, runner, new GatewayClient(gw.baseUrl(), GatewayHarness.API_KEY))
                    .verify();
            System.out.println(r.text());
            assertTrue(r.ok(), r.text());
            List<Ledger.ReceiptRecord> replies = runner.carriers().get("phi").ledger().entries().stream()
                    .flatMap(e -> e.receipts().stream()).filter(x -> x.kind() == PlannedReceipt.Kind.REPLY).toList();
            // First campaign: 3 STOP + 2 thanks; second: only the 5 numbers not opted out are sent, 2 of them reply.
            assertEquals(7, replies.size(), replies.toString());
            assertTrue(replies.stream().allMatch(Ledger.ReceiptRecord::acknowledged), replies.toString());
            assertEquals(List.of("+447700900000", "+447700900001", "+447700900002"),
                    List.copyOf(Verifier.optedOut(r.ledger())));
            assertEquals(3, gw.count("select count(*) from suppressions where reason = 'opt-out'"));
            assertEquals(3, gw.count("select count(*) from replies where kind = 'opt-out'"));
            assertEquals(4, gw.count("select count(*) from replies where text = 'Merci 👍' and data_coding = 8"));
            assertEquals(3, gw.count("select count(*) from replies where text = 'Stop' and data_coding = 0"));
            assertEquals(0, gw.count("select count(*) from messages m join campaigns c on c.id = m.campaign_id "
                    + "where c.name = 'Second' and m.recipient in ('+447700900000', '+447700900001', '+447700900002')"));
            assertFalse(r.text().contains("DIFF"), r.text());
        }
    }
}
