package io.dlrgate.simulator.cli;

import io.dlrgate.simulator.carrier.LedgerFile;
import io.dlrgate.simulator.control.ControlServer;
import io.dlrgate.simulator.scenario.ScenarioRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** What every command that plays a scenario takes, in either role: the seed, the ledger, the control endpoint. */
final class PlayOptions {
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
}
