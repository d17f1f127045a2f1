package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Verify against a real gateway and PostgreSQL sending long messages as UDH parts: the simulator answers and
 * receipts each part by the rules (part 2 UNDELIV, part 3 DELETED, one part lost), and the gateway's tab counts,
 * per message, equal the ledger's messages by the parts rule and the file's expectations. The validity (20 s) is
 * long enough for every receipt on a loaded machine, so that only the messages with a lost part expire.
 */
class ConcatVerifyEndToEndTest {
    GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    /** Three parts of GSM-7 text (153 septets a part), with a euro sign where part 1 would end. */
    static final String CONTENT = "a".repeat(152) + "€" + "b".repeat(150) + " end";

    static final String SCENARIO = """
            name: parts verify
            seed: 9
            timeout: 120s
            carriers:
              - {id: phi, system_id: phi, password: phi-pw, prefixes: ["+44"], receipt_delay: 0ms..50ms}
            rules:
              - match: {number_regex: "0[0-2]$"}
                outcome: DELIVRD
                parts: {2: UNDELIV}
              - match: {number_regex: "0[3-4]$"}
                outcome: DELIVRD
                parts: {3: DELETED}
              - match: {number_regex: "0[5-6]$"}
                outcome: one_part_lost
              - outcome: DELIVRD
            sends:
              - campaign: Long
                content: "%s"
                contacts: {prefix: "+4477009000", count: 10, width: 2}
                validity: 20s
            expect:
              campaigns:
                Long: {hard-bounces: 3, deleted: 2, soft-bounces: 2, delivered: 3, pending: 0}
            """.formatted(CONTENT);

    @Test
    void partsOutcomesGiveTheMessageTabsTheGatewayReports() throws Exception {
        Scenario s = ScenarioLoader.fromYaml(SCENARIO, "parts-verify.yaml", null);
        gw = ScenarioGateway.start(s, "");
        Verifier.Result r = ScenarioGateway.verify(s, gw);
        System.out.println(r.text());
        assertTrue(r.ok(), r.text());
        assertEquals(30, r.ledger().stream().filter(l -> l.part() != null).count(), "ten messages of three parts");
        List<LedgerMessages.Message> messages = LedgerMessages.of(r.ledger());
        assertEquals(10, messages.size());
        messages.forEach(m -> assertEquals(CONTENT, m.content(), m.number()));
        assertEquals(Map.of("hard-bounces", 3L, "deleted", 2L, "soft-bounces", 2L, "delivered", 3L, "pending", 0L),
                r.gatewayTabs().get("Long"));
        assertTrue(r.text().contains("parts: ledger {messages=10, total=30, delivered=") && r.text().contains("  ok\n"),
                "the campaign's parts figure is compared:\n" + r.text());
    }
}
