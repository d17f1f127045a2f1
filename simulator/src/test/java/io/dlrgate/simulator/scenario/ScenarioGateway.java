package io.dlrgate.simulator.scenario;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.nio.file.Path;
import java.time.Duration;

/** Test support: a real gateway configured for a scenario's carriers, and verify run against it. */
final class ScenarioGateway {
    static final Path BUNDLED = Path.of("scenarios");

    private ScenarioGateway() {
    }

    /** The gateway's carriers section for a scenario (ids and formats matching), plus {@code extraYaml}. */
    static String gatewayYaml(Scenario s, String extraYaml) {
        StringBuilder y = new StringBuilder("carriers:\n");
        for (Scenario.Carrier c : s.carriers()) {
            y.append("  - id: ").append(c.id()).append('\n')
                    .append("    system_id: ").append(c.systemId()).append('\n')
                    .append("    password: ").append(c.password()).append('\n')
                    .append("    max_submit_rate: 20000\n")
                    .append("    prefixes: [").append(String.join(", ", c.prefixes().stream()
                            .map(p -> "\"" + p + "\"").toList())).append("]\n");
            if (c.idFormat() == IdFormat.HEX) {
                y.append("    submit_id_format: hex\n");
            }
            // The gateway reads the receipted_message_id TLV first, which carries the id as issued; the text's
            // id only counts without TLVs.
            boolean hexInText = c.dialect().idStyle() == ReceiptDialect.IdStyle.HEX
                    || c.idFormat() == IdFormat.HEX && c.dialect().idStyle() == ReceiptDialect.IdStyle.AS_ISSUED;
            boolean receiptIdHex = c.dialect().tlvs() ? c.idFormat() == IdFormat.HEX : hexInText;
            if (receiptIdHex) {
                y.append("    receipt_id_format: hex\n");
            }
            if (c.idFormat() == IdFormat.ZERO_PADDED) {
                // padded in the submit_sm_resp, maybe not in the receipt: the gateway compares them as numbers
                y.append("    submit_id_format: decimal\n    receipt_id_format: decimal\n");
            }
        }
        // the gateway's own expiry acts at once and often (phone-off-until-expiry sends with a 5 s validity)
        String expiry = extraYaml.contains("expiry:") ? "" : "expiry:\n  grace: 0s\n  sweep_interval: 200ms\n";
        return y + expiry + extraYaml;
    }

    static GatewayHarness start(Scenario s, String extraYaml) throws Exception {
        return GatewayHarness.start(gatewayYaml(s, extraYaml));
    }

    /** As {@link #start(Scenario, String)}, with {@code extraSmppYaml} in the gateway's smpp section. */
    static GatewayHarness start(Scenario s, String extraYaml, String extraSmppYaml) throws Exception {
        return GatewayHarness.start(gatewayYaml(s, extraYaml), extraSmppYaml, java.time.Clock.systemUTC());
    }

    /** Plays {@code s} against {@code gw} and returns the verdict. */
    static Verifier.Result verify(Scenario s, GatewayHarness gw) throws Exception {
        try (ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", gw.smppPort())) {
            if (!runner.start(Duration.ofSeconds(30))) {
                throw new AssertionError("carriers did not bind");
            }
            return new Verifier(s, runner, new GatewayClient(gw.baseUrl(), GatewayHarness.API_KEY)).verify();
        }
    }
}
