package io.dlrgate.simulator.scenario;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.reporting.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** Test support: a real gateway configured for a scenario's carriers, and verify run against it. */
final class ScenarioGateway {
    static final Path BUNDLED = Path.of("scenarios");

    private ScenarioGateway() {
    }

    /** The gateway's carriers section for a scenario (ids and formats matching), plus {@code extraYaml}. */
    static String gatewayYaml(Scenario s, String extraYaml) {
        String y = GatewayCarriersYaml.inbound(s);
        // the gateway's own expiry acts at once and often (for scenarios that send with a short validity)
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
        return verify(s, gw.smppPort(), gw.baseUrl());
    }

    /** Plays {@code s} against the gateway at these ports (API key {@link GatewayHarness#API_KEY}). */
    static Verifier.Result verify(Scenario s, int smppPort, String baseUrl) throws Exception {
        try (ScenarioRunner runner = new ScenarioRunner(s, "127.0.0.1", smppPort)) {
            if (!runner.start(Duration.ofSeconds(30))) {
                throw new AssertionError("carriers did not bind: " + runner.failure());
            }
            return new Verifier(s, runner, new GatewayClient(baseUrl, GatewayHarness.API_KEY)).verify();
        }
    }

    /**
     * A gateway started from the shipped default configuration ({@code dlrgate.yaml}) as a user starts it, with
     * only what the environment overrides for a test: its own database, free ports, a known API key.
     */
    record Shipped(TestDatabase db, Gateway gateway) implements AutoCloseable {
        static Shipped start() throws Exception {
            TestDatabase db = TestDatabase.create();
            try {
                GatewayConfig config = ConfigLoader.fromYaml(ConfigLoader.defaultYaml(), ConfigLoader.DEFAULT_SOURCE,
                        Map.of(ConfigLoader.ENV_SMPP_PORT, "0", ConfigLoader.ENV_HTTP_PORT, "0",
                                ConfigLoader.ENV_DB_URL, db.url(), ConfigLoader.ENV_API_KEY, GatewayHarness.API_KEY));
                return new Shipped(db, Gateway.start(config, Clock.systemUTC()));
            } catch (Exception | Error e) {
                db.close();
                throw e;
            }
        }

        Verifier.Result verify(Scenario s) throws Exception {
            return ScenarioGateway.verify(s, gateway.smppPort(), "http://127.0.0.1:" + gateway.httpPort());
        }

        @Override
        public void close() {
            try {
                gateway.close();
            } finally {
                db.close();
            }
        }
    }
}
