package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.simulator.carrier.SimulatedCarrier;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * 10,000 messages through the gateway's outbound binds to the simulated SMSC land in the right tabs exactly: the
 * report the gateway shows equals the tabs computed from the SMSC's ledger, per campaign, with every message final.
 * Two carriers cover both ways of binding out: {@code alpha} one transceiver pair of sessions with deliver_sm
 * receipts, {@code beta} transmitter+receiver binds with data_sm receipts (so receipts come on another connection
 * than the submits). Once clean, once with the SMSC dropping each carrier's connection twice mid-stream and
 * answering submits above its rate with ESME_RTHROTTLED (0x58). The figures are printed, not asserted.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class OutboundBindsTenThousandTest {

    static final int PER_CARRIER = 5_000;
    /** Each carrier's SMSC drops the connection twice mid-stream and answers above 500 submits/s with 0x58. */
    static final String FAULTS = "    faults: {drop_connection: {after_submits: 1500, times: 2}, throttle_rate: 500}\n";

    static String scenario(String alphaFaults, String betaFaults) {
        return """
                name: ten thousand through outbound binds
                role: smsc
                seed: 15015
                timeout: 300s
                carriers:
                  - id: alpha
                    system_id: alpha
                    password: alpha-pw
                    prefixes: ["+44"]
                    bind_type: transceiver
                    sessions: 2
                    window: 100
                    receipt_delay: 0ms..300ms
                """ + alphaFaults + """
                  - id: beta
                    system_id: beta
                    password: beta-pw
                    prefixes: ["+33"]
                    bind_type: [transmitter, receiver]
                    sessions: 1
                    window: 100
                    receipt_delay: 0ms..300ms
                    dialect: {pdu: data_sm}
                """ + betaFaults + """
                rules:
                  - name: every tab, by weight
                    weights:
                      - {weight: 55, outcome: {stat: DELIVRD, intermediates: [ENROUTE]}}
                      - {weight: 10, outcome: EXPIRED}
                      - {weight: 15, outcome: UNDELIV}
                      - {weight: 8, outcome: REJECTD}
                      - {weight: 12, outcome: DELETED}
                sends:
                  - campaign: Outbound UK
                    content: "Ten thousand, part one"
                    contacts: {prefix: "+4477009", count: %d, width: 5}
                  - campaign: Outbound FR
                    content: "Ten thousand, part two"
                    contacts: {prefix: "+336120", count: %d, width: 5}
                """.formatted(PER_CARRIER, PER_CARRIER);
    }

    static ScenarioGateway.SmscRun run(String name, String yaml) throws Exception {
        return run(name, yaml, ScenarioGateway.Front::direct);
    }

    /** Plays the scenario, the gateway reaching the SMSC through {@code front}; checks and prints the figures. */
    static ScenarioGateway.SmscRun run(String name, String yaml, IntFunction<ScenarioGateway.Front> front)
            throws Exception {
        Scenario s = ScenarioLoader.fromYaml(yaml, name + ".yaml", null);
        ScenarioGateway.SmscRun run = ScenarioGateway.verifyAsSmsc(s, "", front);
        Verifier.Result r = run.result();
        System.out.println(r.text());
        double seconds = run.took().toMillis() / 1000.0;
        System.out.printf("%s: %d messages, %d submit_sm received by the SMSC; first send to the report matching "
                        + "%.1f s (%.0f submits/s end to end); faults %s%n", name, 2 * PER_CARRIER, run.submitsReceived(), seconds,
                run.submitsReceived() / seconds, run.faults());
        assertTrue(r.ok(), r.text());
        // (a submit in flight when the connection drops may have been taken by the SMSC and is sent again: the
        // ledger then has the number twice, and verify counts it once, as the report does)
        assertEquals(2 * PER_CARRIER, r.ledger().stream().filter(l -> l.tab() != null)
                .map(l -> l.number() + "\u0000" + l.content()).distinct().count(), "every message is in the ledger");
        for (Map.Entry<String, Map<String, Long>> tabs : r.gatewayTabs().entrySet()) {
            assertEquals(PER_CARRIER, tabs.getValue().values().stream().mapToLong(Long::longValue).sum(),
                    tabs.getKey());
            assertEquals(0L, tabs.getValue().get("pending"), tabs.getKey() + ": all final");
            tabs.getValue().forEach((tab, n) -> assertTrue(tab.equals("pending") || n > 0,
                    tabs.getKey() + " has messages in " + tab));
        }
        return run;
    }

    @Test
    void tenThousandMessagesLandInTheTabsTheSmscsLedgerSays() throws Exception {
        run("clean", scenario("", ""));
    }

    @Test
    void tenThousandMessagesLandExactlyWithTheConnectionDroppedTwiceAndThrottlingOn() throws Exception {
        ScenarioGateway.SmscRun run = run("dropped twice, throttled", scenario(FAULTS, FAULTS));
        for (Map.Entry<String, SimulatedCarrier.SmscCounts> f : run.faults().entrySet()) {
            assertEquals(2, f.getValue().connectionsDropped(), f.getKey() + ": the connection dropped twice");
            assertTrue(f.getValue().rateThrottled() > 0, f.getKey() + ": the SMSC answered 0x58");
        }
    }
}
