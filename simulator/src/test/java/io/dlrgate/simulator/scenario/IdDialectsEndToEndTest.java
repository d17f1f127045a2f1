package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import org.junit.jupiter.api.Test;

/**
 * UUID and zero-padded message ids against a real gateway: UUIDs (a string id, lower case, in the text and the
 * TLV; one carrier with no TLVs so the gateway reads the text), and zero-padded ids in the submit_sm_resp whose
 * receipts carry the id unpadded in the text and no TLV (the gateway must compare them as numbers).
 */
class IdDialectsEndToEndTest {

    @Test
    void uuidAndZeroPaddedIdsEndInTheRightTabs() throws Exception {
        Scenario s = ScenarioLoader.fromYaml("""
                name: id dialects
                seed: 8
                timeout: 60s
                carriers:
                  - id: uuidco
                    system_id: uuidco
                    password: uuid-pw
                    prefixes: ["+44"]
                    receipt_delay: 0ms..100ms
                    dialect: {id_format: uuid}
                  - id: uuidtext
                    system_id: uuidtext
                    password: uuid-pw
                    prefixes: ["+49"]
                    receipt_delay: 0ms..100ms
                    dialect: {id_format: uuid, tlvs: false, labels: upper}
                  - id: padco
                    system_id: padco
                    password: pad-pw
                    prefixes: ["+33"]
                    receipt_delay: 0ms..100ms
                    dialect: {id_format: zero-padded, id_in_text: decimal, tlvs: false, date_digits: 12}
                rules:
                  - weights: {DELIVRD: 50, UNDELIV: 20, EXPIRED: 15, DELETED: 15}
                sends:
                  - campaign: UUIDs
                    content: "uuid ids"
                    contacts: {prefix: "+447700", count: 100, width: 6}
                  - campaign: UUIDs in text
                    content: "uuid ids, text only"
                    contacts: {prefix: "+4915100", count: 100, width: 6}
                  - campaign: Padded
                    content: "zero-padded ids"
                    contacts: {prefix: "+33612", count: 100, width: 6}
                """, "ids.yaml", null);
        try (GatewayHarness gw = ScenarioGateway.start(s, "")) {
            Verifier.Result r = ScenarioGateway.verify(s, gw);
            System.out.println(r.text());
            assertTrue(r.ok(), r.text());
            assertTrue(r.ledger().stream().anyMatch(l -> l.messageId() != null && l.messageId().matches(
                    "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")), "UUID ids issued");
            assertTrue(r.ledger().stream().anyMatch(l -> l.messageId() != null && l.messageId().startsWith("00")),
                    "zero-padded ids issued");
            for (String c : new String[] {"UUIDs", "UUIDs in text", "Padded"}) {
                assertEquals(0L, r.gatewayTabs().get(c).get("pending"), c);
                assertEquals(100L, r.gatewayTabs().get(c).values().stream().mapToLong(Long::longValue).sum(), c);
            }
        }
    }
}
