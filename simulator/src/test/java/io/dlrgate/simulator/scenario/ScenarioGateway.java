package io.dlrgate.simulator.scenario;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

/** Test support: a real gateway configured for a scenario's carriers, and verify run against it. */
final class ScenarioGateway {
    static final Path BUNDLED = Path.of("scenarios");

    private ScenarioGateway() {
    }

    /** The gateway's carriers section for a scenario (ids and formats matching), plus {@code extraYaml}. */
    static String gatewayYaml(Scenario s, String extraYaml) {
        return withExpiry(GatewayCarriersYaml.inbound(s), extraYaml);
    }

    /** As {@link #gatewayYaml}, with carriers that bind out to the scenario's SMSCs at {@code smscPort}. */
    static String connectYaml(Scenario s, int smscPort, String extraYaml) {
        return withExpiry(GatewayCarriersYaml.connect(s, "127.0.0.1", smscPort), extraYaml);
    }

    private static String withExpiry(String carriersYaml, String extraYaml) {
        // the gateway's own expiry acts at once and often (for scenarios that send with a short validity)
        String expiry = extraYaml.contains("expiry:") ? "" : "expiry:\n  grace: 0s\n  sweep_interval: 200ms\n";
        return carriersYaml + expiry + extraYaml;
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
     * The verdict of a run in the SMSC role, with what the SMSC side saw: the faults that fired per carrier, the
     * submit_sm it received, and how long verify took (from the first send to the report matching).
     */
    record SmscRun(Verifier.Result result, Map<String, SimulatedCarrier.SmscCounts> faults, long submitsReceived,
                   Duration took) {
    }

    /**
     * SMSC role: plays {@code s} with its carriers as SMSCs on a free port and a gateway (its own database) that binds
     * out to them as an ESME, configured from {@link GatewayCarriersYaml#connect} plus {@code extraYaml}; returns the
     * verdict once the gateway's binds are up and the sends are settled.
     */
    static SmscRun verifyAsSmsc(Scenario s, String extraYaml) throws Exception {
        return verifyAsSmsc(s, extraYaml, Front::direct);
    }

    /**
     * Where the gateway connects to reach an SMSC listening on a port: that port ({@link #direct}), or something in
     * front of it (a TLS terminator), with the {@code tls} value of the gateway's {@code connect} blocks.
     */
    record Front(int port, String tls) {
        static Front direct(int smscPort) {
            return new Front(smscPort, null);
        }
    }

    /** Carriers that bind out through {@code front} (see {@link #connectYaml}). */
    static String connectYaml(Scenario s, Front front, String extraYaml) {
        String y = connectYaml(s, front.port(), extraYaml);
        // every connect block has its port line; the tls key goes right after it
        return front.tls() == null ? y
                : y.replace("      port: " + front.port() + "\n",
                        "      port: " + front.port() + "\n      tls: " + front.tls() + "\n");
    }

    /** As {@link #verifyAsSmsc(Scenario, String)}, the gateway reaching the SMSC through {@code front}. */
    static SmscRun verifyAsSmsc(Scenario s, String extraYaml, IntFunction<Front> front) throws Exception {
        Scenario smsc = s.withRole(Scenario.Role.SMSC);
        try (ScenarioRunner runner = new ScenarioRunner(smsc, "127.0.0.1", 0)) {
            runner.start(Duration.ZERO);
            Front f = front.apply(runner.smscPort());
            // closed first: the gateway unbinds from a running SMSC
            try (GatewayHarness gw = GatewayHarness.start(connectYaml(smsc, f, extraYaml))) {
                if (!runner.awaitBound(Duration.ofSeconds(30))) {
                    throw new AssertionError("the gateway did not bind out to every carrier: " + runner.failure());
                }
                long start = System.nanoTime();
                Verifier.Result r = new Verifier(smsc, runner, new GatewayClient(gw.baseUrl(), GatewayHarness.API_KEY))
                        .verify();
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                Map<String, SimulatedCarrier.SmscCounts> faults = new TreeMap<>();
                runner.carriers().forEach((id, c) -> faults.put(id, c.smscCounts()));
                return new SmscRun(r, faults, runner.totals().submitsReceived(), took);
            }
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
