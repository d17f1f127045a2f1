package io.dlrgate.simulator.cli;

import io.dlrgate.simulator.carrier.LedgerFile;
import io.dlrgate.simulator.control.ControlServer;
import io.dlrgate.simulator.scenario.Scenario;
import io.dlrgate.simulator.scenario.ScenarioRunner;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dlrgate-sim run SCENARIO}: binds the scenario's carriers and plays their part until stopped. Exit 0 when
 * stopped; 2: bad input; 3: the gateway refused a bind or could not be reached (one line on stderr says which).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Bind the scenario's simulated carriers to a gateway and play their part until Ctrl-C.")
public final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions options;

    @Option(names = "--max-seconds", defaultValue = "0", description = "stop after this many seconds; 0 runs until Ctrl-C")
    long maxSeconds;

    @Option(names = "--check", description = "only validate the scenario file and exit")
    boolean check;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario s = options.load(err);
        if (s == null) {
            return 2;
        }
        if (check) {
            out.printf("%s: ok (%d carriers, %d rules, %d sends)%n", options.file, s.carriers().size(),
                    s.rules().size(), s.sends().size());
            out.flush();
            return 0;
        }
        CountDownLatch stop = new CountDownLatch(1);
        // declared first, closed last: a Ctrl-C waits until the carriers are stopped and the ledger is written
        try (GracefulStop graceful = new GracefulStop("dlrgate-sim-shutdown", Duration.ofSeconds(30), stop::countDown);
             ScenarioRunner runner = new ScenarioRunner(s, options.smppHost, options.smppPort);
             LedgerFile ledger = options.openLedger(runner);
             ControlServer control = options.startControl(runner, spec.commandLine().getOut())) {
            boolean bound = runner.start(Duration.ofSeconds(30));
            if (runner.failure() != null) {
                return GatewayUnusable.report(err, runner.failure());
            }
            out.printf("scenario %s: %d carriers %s to %s:%d (seed %d)%n", s.name(), s.carriers().size(),
                    bound ? "bound" : "binding", options.smppHost, options.smppPort, s.seed());
            out.flush();
            long end = maxSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds) : Long.MAX_VALUE;
            while (!stop.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < end) {
                if (runner.failure() != null) {
                    return GatewayUnusable.report(err, runner.failure());
                }
            }
            runner.close(); // no new submits: the ledger below is complete
            runner.carriers().forEach((id, c) -> out.println(c.stats().describe(id)));
            if (ledger != null) {
                ledger.finish(w -> ScenarioRunner.writeLedger(w, runner.ledger()));
                out.println("ledger written to " + options.ledger);
            }
            out.flush();
        }
        return 0;
    }
}
