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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What run and verify share: the scenario file, where the gateway's SMPP listener is, the ledger, the control endpoint. */
final class ScenarioOptions {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "the scenario file (YAML)")
    Path file;

    @Option(names = "--smpp-host", defaultValue = "127.0.0.1", description = "gateway SMPP host (default: ${DEFAULT-VALUE})")
    String smppHost;

    @Option(names = "--smpp-port", defaultValue = "2775", description = "gateway SMPP port (default: ${DEFAULT-VALUE})")
    int smppPort;

    @Option(names = "--seed", description = "override the scenario's seed")
    Long seed;

    @Option(names = "--ledger", paramLabel = "FILE", description = "write the ledger (JSON lines) to FILE: each "
            + "submit as it is answered, the complete ledger at the end")
    Path ledger;

    @Option(names = "--control-port", paramLabel = "PORT",
            description = "serve the control endpoint (list carriers and counters, change rule weights, drop or "
                    + "restore binds) on 127.0.0.1:PORT; 0 picks a free port; off unless given")
    Integer controlPort;

    /** The control endpoint for {@code runner} when --control-port was given (its address printed), else null. */
    ControlServer startControl(ScenarioRunner runner, PrintWriter out) throws Exception {
        if (controlPort == null) {
            return null;
        }
        ControlServer control = ControlServer.start(runner, controlPort);
        out.printf("control endpoint on http://127.0.0.1:%d/carriers%n", control.port());
        out.flush();
        return control;
    }

    /** The --ledger file, journalling every submit of {@code runner} from now on; null without --ledger. */
    LedgerFile openLedger(ScenarioRunner runner) throws IOException {
        if (ledger == null) {
            return null;
        }
        LedgerFile file = LedgerFile.create(ledger);
        runner.journalTo(file);
        return file;
    }

    /** The scenario, or null after printing every problem to {@code err}. */
    Scenario load(PrintWriter err) {
        try {
            Scenario s = ScenarioLoader.load(file);
            if (seed != null) {
                s = new Scenario(s.name(), seed, s.timeScale(), s.timeoutMillis(), s.carriers(), s.rules(), s.sends(),
                        s.expect(), s.statTabs());
            }
            return s;
        } catch (ScenarioException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.flush();
            return null;
        }
    }
}
