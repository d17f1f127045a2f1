package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.simulator.carrier.CarrierStats;
import io.dlrgate.simulator.carrier.Ledger;
import io.dlrgate.simulator.outcome.PlannedReceipt;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each fault of the scenario file against a real gateway and PostgreSQL: verify still passes (the report stays
 * exact), and the fault really happened and left its trace where expected (orphans, refusals, counters).
 */
class FaultsEndToEndTest {
    static final int N = 60;
    GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    /** 60 numbers, a third each DELIVRD, UNDELIV and DELETED, with the given carrier faults. */
    static Scenario scenario(String faults, String dialect) {
        return ScenarioLoader.fromYaml("""
                name: fault
                seed: 11
                timeout: 60s
                carriers:
                  - id: phi
                    system_id: phi
                    password: phi-pw
                    prefixes: ["+44"]
                    receipt_delay: 0ms..100ms
                    %s
                    faults: {%s}
                rules:
                  - match: {number_regex: "[0-1]9$"}
                    outcome: {stat: UNDELIV, err: "027"}
                  - match: {number_regex: "[2-3]9$"}
                    outcome: DELETED
                  - outcome: {stat: DELIVRD, intermediates: [ENROUTE]}
                sends:
                  - campaign: Faulty
                    content: "Faulty carrier, exact report"
                    contacts: {prefix: "+447700", count: %d, width: 6}
                """.formatted(dialect, faults, N), "fault.yaml", null);
    }

    record Run(Verifier.Result result, CarrierStats stats, List<Ledger.Entry> entries) {
    }

    Run run(Scenario s) throws Exception {
        return run(s, "");
    }

    Run run(Scenario s, String extraSmppYaml) throws Exception {
        gw = ScenarioGateway.start(s, "", extraSmppYaml);
        try (ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", gw.smppPort())) {
            assertTrue(runner.start(Duration.ofSeconds(30)), "carriers bound");
            Verifier.Result r = new Verifier(s, runner, new GatewayClient(gw.baseUrl(), GatewayHarness.API_KEY)).verify();
            System.out.println(r.text());
            var carrier = runner.carriers().get("phi");
            System.out.println(carrier.stats().describe("phi"));
            assertTrue(r.ok(), r.text());
            assertEquals(N, r.ledger().stream().filter(l -> l.tab() != null).count());
            return new Run(r, carrier.stats(), carrier.ledger().entries());
        }
    }

    static long noise(List<Ledger.Entry> entries, java.util.function.Predicate<Ledger.ReceiptRecord> p) {
        return entries.stream().flatMap(e -> e.receipts().stream()).filter(Ledger.ReceiptRecord::noise).filter(p)
                .count();
    }

    @Test
    void receiptsBeforeTheSubmitRespAreKeptAsOrphansAndMatchedWhenTheIdArrives() throws Exception {
        Run r = run(scenario("receipts_first: 1.0", ""));
        assertEquals(N, r.stats().receiptsFirst());
        // every receipt arrived before its id was known: each was stored as an orphan, and each got matched
        long orphans = gw.count("select count(*) from orphan_receipts");
        assertTrue(orphans >= N, "orphans stored: " + orphans);
        assertEquals(0, gw.count("select count(*) from orphan_receipts where matched_at is null"));
    }

    @Test
    void receiptsForUnknownIdsStayOpenOrphansAndChangeNoReport() throws Exception {
        Run r = run(scenario("unknown_ids: 1.0", ""));
        assertEquals(N, noise(r.entries(), x -> x.kind() == PlannedReceipt.Kind.UNKNOWN_ID && x.acknowledged()));
        assertEquals(N, gw.count("select count(*) from orphan_receipts where matched_at is null"));
        assertEquals(N, r.stats().noiseReceipts());
    }

    @Test
    void malformedReceiptsAreRefusedWith0x65AndTheSessionIsKept() throws Exception {
        Run r = run(scenario("malformed: 1.0", "dialect: {pdu: data_sm}"));
        long malformed = noise(r.entries(), x -> true);
        assertEquals(N, malformed);
        assertEquals(N, noise(r.entries(), x -> x.state() == Ledger.ReceiptState.REFUSED && x.lastStatus() == 0x65),
                "every malformed receipt refused with 0x65 (ESME_RX_P_APPN)");
        for (PlannedReceipt.Kind k : List.of(PlannedReceipt.Kind.MALFORMED_NO_ID, PlannedReceipt.Kind.MALFORMED_TEXT,
                PlannedReceipt.Kind.NOT_A_RECEIPT)) {
            assertTrue(noise(r.entries(), x -> x.kind() == k) > 0, "some " + k);
        }
        assertEquals(1, r.stats().binds(), "one bind, never lost");
        assertEquals(0, r.stats().reconnects());
    }

    @Test
    void slowReadingBacksUpTheGatewaysWritesAndTheReportStaysExact() throws Exception {
        Run r = run(scenario("slow_reading: {pause: 300ms, every: 500ms}", ""));
        assertTrue(r.stats().readPauses() > 0, "the carrier paused reading");
    }

    @Test
    void enquireLinksLeftUnansweredChangeNoReport() throws Exception {
        // The gateway checks each session with an enquire_link (every 500 ms here); this carrier never answers.
        // Closing such a session is EnquireLinkKeeperTest's; here: the report still matches the ledger (run()).
        Run r = run(scenario("unanswered_enquire_links: true", ""),
                "  enquire_link_interval: 500ms\n  request_expiry: 1s\n");
        assertTrue(r.stats().enquireLinksIgnored() > 0, "the gateway's enquire_links were left unanswered");
    }
}
