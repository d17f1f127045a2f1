package io.dlrgate.simulator.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.simulator.cli.SimCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bundled scenario passes verify against a real gateway started from the shipped default configuration
 * and PostgreSQL; and verify can fail.
 */
class BundledScenariosTest {
    GatewayHarness gw;

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
    }

    static Stream<String> bundled() throws Exception {
        try (Stream<Path> files = Files.list(ScenarioGateway.BUNDLED)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml")).sorted().toList().stream();
        }
    }

    /** Each bundled scenario against the gateway as shipped: no carrier, prefix or setting made for it. */
    @ParameterizedTest
    @MethodSource("bundled")
    void bundledScenarioPassesVerifyAgainstTheShippedDefaultConfiguration(String file) throws Exception {
        Scenario s = ScenarioLoader.load(ScenarioGateway.BUNDLED.resolve(file));
        Verifier.Result r;
        try (ScenarioGateway.Shipped shipped = ScenarioGateway.Shipped.start()) {
            r = shipped.verify(s);
        }
        assertPassesAndCoversTheSends(s, r);
    }

    /**
     * Each bundled scenario in the SMSC role: its carriers are SMSCs, and the gateway binds out to them as an ESME
     * (the {@code connect} blocks {@code --print-gateway-config} prints), so the client role's submits and receipts
     * are checked against the SMSC's ledger the same way.
     */
    @ParameterizedTest
    @MethodSource("bundled")
    void bundledScenarioPassesVerifyInTheSmscRoleAgainstTheGatewayBindingOut(String file) throws Exception {
        Scenario s = ScenarioLoader.load(ScenarioGateway.BUNDLED.resolve(file));
        assertPassesAndCoversTheSends(s, ScenarioGateway.verifyAsSmsc(s, "").result());
    }

    private static void assertPassesAndCoversTheSends(Scenario s, Verifier.Result r) {
        System.out.println(r.text());
        assertTrue(r.ok(), r.text());
        // the verdict is not vacuous: the ledger holds a message for every contact sent
        long contacts = s.sends().stream().mapToLong(x -> x instanceof Scenario.CampaignSend c ? c.contacts().size() : 1).sum();
        // (numbers expected suppressed may be skipped, at most once per send)
        long skippable = (long) s.expect().suppressed().size() * s.sends().size();
        assertTrue(r.ledger().stream().filter(l -> l.tab() != null).count() >= contacts - skippable,
                "ledger covers the sends");
    }

    @Test
    void aGatewayMappingDeletedToHardBouncesFailsVerifyWithADiffNamingTabsAndNumbers() throws Exception {
        Scenario s = ScenarioLoader.load(ScenarioGateway.BUNDLED.resolve("network-deletes.yaml"));
        gw = ScenarioGateway.start(s, "receipts:\n  stat_mapping:\n    DELETED: hard-bounces\n");
        Verifier.Result r = ScenarioGateway.verify(s, gw);
        System.out.println(r.text());
        assertFalse(r.ok(), r.text());
        assertEquals(Map.of("delivered", 300L, "pending", 0L, "soft-bounces", 0L, "hard-bounces", 100L, "deleted", 0L),
                r.gatewayTabs().get("Flash news"));
        assertTrue(r.differences().contains("campaign \"Flash news\" tab deleted: gateway 0, ledger 100"), r.text());
        assertTrue(r.differences().contains("campaign \"Flash news\" tab hard-bounces: gateway 100, ledger 0"), r.text());
        assertTrue(r.differences().contains("campaign \"Flash news\" tab deleted: gateway 0, expected 100"), r.text());
        assertTrue(r.text().contains("VERDICT: FAIL"), r.text());
    }

    @Test
    void theCommandLineExitsZeroOnAMatchAndWritesTheLedger(@TempDir Path dir) throws Exception {
        Path scenario = ScenarioGateway.BUNDLED.resolve("all-delivered.yaml");
        gw = ScenarioGateway.start(ScenarioLoader.load(scenario), "");
        Path ledger = dir.resolve("ledger.jsonl");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SimCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(
                "verify", scenario.toString(), "--smpp-port", String.valueOf(gw.smppPort()),
                "--gateway-url", gw.baseUrl(), "--api-key", GatewayHarness.API_KEY, "--ledger", ledger.toString());
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("VERDICT: PASS"), out.toString());
        List<String> lines = Files.readAllLines(ledger);
        assertEquals(500, lines.size());
        assertTrue(lines.get(0).contains("\"finalStat\":\"DELIVRD\""), lines.get(0));
    }

    @Test
    void theCommandLineExitsOneOnADifference() throws Exception {
        Path scenario = ScenarioGateway.BUNDLED.resolve("network-deletes.yaml");
        gw = ScenarioGateway.start(ScenarioLoader.load(scenario), "receipts:\n  stat_mapping:\n    DELETED: hard-bounces\n");
        StringWriter out = new StringWriter();
        int code = SimCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                .execute("verify", scenario.toString(), "--smpp-port", String.valueOf(gw.smppPort()),
                        "--gateway-url", gw.baseUrl(), "--api-key", GatewayHarness.API_KEY);
        assertEquals(1, code, out.toString());
        assertTrue(out.toString().contains("deleted") && out.toString().contains("DIFF"), out.toString());
    }
}
