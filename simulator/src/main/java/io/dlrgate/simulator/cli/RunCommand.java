package io.dlrgate.simulator.cli;

import io.dlrgate.simulator.carrier.LedgerFile;
import io.dlrgate.simulator.control.ControlServer;
import io.dlrgate.simulator.scenario.GatewayCarriersYaml;
import io.dlrgate.simulator.scenario.RunSummary;
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
 * {@code dlrgate-sim run SCENARIO}: binds the scenario's carriers and plays their part until stopped (with
 * {@code role: smsc} in the file: listens as the carriers' SMSCs, as {@link SmscCommand} does). Exit 0 when
 * stopped; 2: bad input; 3: the gateway refused a bind or could not be reached, or (SMSC role) the port cannot be
 * listened on (one line on stderr says which).
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
        return play(spec, options, s, maxSeconds, 0, false);
    }

    /**
     * Plays {@code s} until Ctrl-C, {@code maxSeconds} or (SMSC role) {@code stopAfter} accepted messages with every
     * receipt settled; then stops the carriers, prints their counters (SMSC role: the {@link RunSummary}) and
     * writes the ledger. Shared by {@code run} and {@code smsc}.
     */
    static int play(CommandSpec spec, ScenarioOptions options, Scenario s, long maxSeconds, long stopAfter,
                    boolean printGatewayConfig) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean smsc = s.role() == Scenario.Role.SMSC;
        CountDownLatch stop = new CountDownLatch(1);
        // declared first, closed last: a Ctrl-C waits until the carriers are stopped and the ledger is written
        try (GracefulStop graceful = new GracefulStop("dlrgate-sim-shutdown", Duration.ofSeconds(30), stop::countDown);
             ScenarioRunner runner = new ScenarioRunner(s, options.smppHost, options.smppPort);
             LedgerFile ledger = options.openLedger(runner);
             ControlServer control = options.startControl(runner, spec.commandLine().getOut())) {
            runner.smscTls(options.smscTls);
            boolean bound;
            try {
                // SMSC role: listen and return at once; the ESMEs bind when they like
                bound = runner.start(smsc ? Duration.ZERO : Duration.ofSeconds(30));
            } catch (java.io.IOException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 3;
            }
            if (runner.failure() != null) {
                return GatewayUnusable.report(err, runner.failure());
            }
            if (smsc) {
                out.printf("scenario %s: %d simulated SMSC carriers (%s) listening on %s:%d (seed %d)%n", s.name(),
                        s.carriers().size(), String.join(", ", runner.carriers().keySet()), options.smppHost,
                        runner.smscPort(), s.seed());
                if (printGatewayConfig) {
                    out.println("# dlrgate carriers that bind to this SMSC:");
                    out.print(GatewayCarriersYaml.connect(s, options.smppHost, runner.smscPort(), options.smscTlsCert));
                }
            } else {
                out.printf("scenario %s: %d carriers %s to %s:%d (seed %d)%n", s.name(), s.carriers().size(),
                        bound ? "bound" : "binding", options.smppHost, options.smppPort, s.seed());
            }
            out.flush();
            long end = maxSeconds > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds) : Long.MAX_VALUE;
            while (!stop.await(200, TimeUnit.MILLISECONDS) && System.nanoTime() < end) {
                if (runner.failure() != null) {
                    return GatewayUnusable.report(err, runner.failure());
                }
                if (stopAfter > 0 && accepted(runner) >= stopAfter && runner.receiptsOutstanding() == 0) {
                    out.printf("%d messages accepted and every receipt answered: stopping%n", stopAfter);
                    break;
                }
            }
            runner.close(); // no new submits: the ledger below is complete
            if (smsc) {
                out.print(RunSummary.text(runner));
            } else {
                runner.carriers().forEach((id, c) -> out.println(c.stats().describe(id)));
            }
            if (ledger != null) {
                ledger.finish(w -> ScenarioRunner.writeLedger(w, runner.ledger()));
                out.println("ledger written to " + options.ledger());
            }
            out.flush();
        }
        return 0;
    }

    private static long accepted(ScenarioRunner runner) {
        long n = 0;
        for (var c : runner.carriers().values()) {
            var st = c.stats();
            n += st.submitsReceived() - st.submitsRejected();
        }
        return n;
    }
}
