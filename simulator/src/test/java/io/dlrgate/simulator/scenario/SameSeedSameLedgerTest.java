package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The same scenario and seed, played twice against fresh gateways, give identical ledgers. */
class SameSeedSameLedgerTest {

    static List<ScenarioRunner.LedgerLine> play(Scenario s) throws Exception {
        try (GatewayHarness gw = ScenarioGateway.start(s, "")) {
            Verifier.Result r = ScenarioGateway.verify(s, gw);
            assertTrue(r.ok(), r.text());
            return r.ledger().stream().map(ScenarioRunner.LedgerLine::decisionsOnly).toList();
        }
    }

    @Test
    void twoRunsOfTheSameSeedGiveIdenticalLedgers() throws Exception {
        Scenario s = ScenarioLoader.load(ScenarioGateway.BUNDLED.resolve("five-tabs.yaml"));
        List<ScenarioRunner.LedgerLine> first = play(s);
        List<ScenarioRunner.LedgerLine> second = play(s);
        assertEquals(1301, first.size());
        for (int i = 0; i < first.size(); i++) {
            assertEquals(first.get(i), second.get(i), "ledger line " + i);
        }
        assertEquals(first, second);

        // and the seed matters: another seed gives another ledger
        Scenario other = new Scenario(s.name(), s.seed() + 1, s.timeScale(), s.timeoutMillis(), s.carriers(),
                s.rules(), s.sends(), Scenario.Expectations.NONE, s.statTabs(), s.role());
        assertNotEquals(first, play(other));
    }
}
