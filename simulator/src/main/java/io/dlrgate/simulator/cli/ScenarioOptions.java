package io.dlrgate.simulator.cli;

import io.dlrgate.simulator.carrier.LedgerFile;
import io.dlrgate.simulator.control.ControlServer;
import io.dlrgate.simulator.scenario.Scenario;
import io.dlrgate.simulator.scenario.ScenarioException;
import io.dlrgate.simulator.scenario.ScenarioLoader;
import io.dlrgate.simulator.scenario.ScenarioRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What run and verify share: the scenario file, the SMPP address (the gateway's listener in the carrier role, the
 * simulator's own in the SMSC role), and the {@link PlayOptions}.
 */
final class ScenarioOptions {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario file (YAML)")
    Path file;

    @Option(names = "--smpp-host", defaultValue = "127.0.0.1", description = "gateway SMPP host; with role: smsc, "
            + "the address to listen on (default: ${DEFAULT-VALUE})")
    String smppHost;

    @Option(names = "--smpp-port", defaultValue = "2775", description = "gateway SMPP port; with role: smsc, the "
            + "port to listen on, 0 for a free one (default: ${DEFAULT-VALUE})")
    int smppPort;

    /** SMSC role: the listener's TLS, or null for plain TCP (set by {@code smsc --tls-cert}). */
    com.cloudhopper.smpp.ssl.SslConfiguration smscTls;

    /** With {@link #smscTls}: its certificate file, which an ESME trusts ({@code --print-gateway-config}). */
    java.nio.file.Path smscTlsCert;

    @Mixin
    PlayOptions play = new PlayOptions();

    ControlServer startControl(ScenarioRunner runner, PrintWriter out) throws Exception {
        return play.startControl(runner, out);
    }

    LedgerFile openLedger(ScenarioRunner runner) throws IOException {
        return play.openLedger(runner);
    }

    Path ledger() {
        return play.ledger;
    }

    /** The scenario, or null after printing every problem to {@code err}. */
    Scenario load(PrintWriter err) {
        try {
            Scenario s = ScenarioLoader.load(file);
            return play.seed == null ? s : s.withSeed(play.seed);
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.flush();
            return null;
        }
    }
}
