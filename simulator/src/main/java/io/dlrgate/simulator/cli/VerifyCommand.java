package io.dlrgate.simulator.cli;

import io.dlrgate.simulator.carrier.LedgerFile;
import io.dlrgate.simulator.control.ControlServer;
import io.dlrgate.simulator.scenario.GatewayClient;
import io.dlrgate.simulator.scenario.Scenario;
import io.dlrgate.simulator.scenario.ScenarioRunner;
import io.dlrgate.simulator.scenario.Verifier;
import io.dlrgate.simulator.scenario.VerifyProgress;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dlrgate-sim verify SCENARIO}: plays the carriers, drives the sends through the gateway's API, waits,
 * compares the reports with the ledger and the file's expectations. Exit 0: all match; 1: differences; 2: bad
 * input (scenario file, flags); 3: the gateway could not be reached or answered an error.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Run a scenario end to end against a gateway and check its reports against what the carriers did.")
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ScenarioOptions options;

    @Option(names = "--gateway-url", defaultValue = "${env:DLRGATE_SIM_GATEWAY_URL:-http://127.0.0.1:8080}",
            description = "base URL of the gateway's HTTP API (env DLRGATE_SIM_GATEWAY_URL; default: ${DEFAULT-VALUE})")
    String gatewayUrl;

    @Option(names = "--api-key", defaultValue = "${env:DLRGATE_API_KEY}",
            description = "the gateway's API key (env DLRGATE_API_KEY)")
    String apiKey;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Scenario s = options.load(err);
        if (s == null) {
            return 2;
        }
        if (apiKey == null || apiKey.isBlank()) {
            err.println("error: the gateway's API key is needed: --api-key KEY or DLRGATE_API_KEY");
            err.flush();
            return 2;
        }
        GatewayClient client = new GatewayClient(gatewayUrl, apiKey);
        try (ScenarioRunner runner = new ScenarioRunner(s, options.smppHost, options.smppPort);
             LedgerFile ledger = options.openLedger(runner);
             ControlServer control = options.startControl(runner, spec.commandLine().getOut())) {
            boolean smsc = s.role() == Scenario.Role.SMSC;
            if (smsc) {
                out.printf("scenario %s: simulated SMSCs listening on %s:%d, waiting for the gateway to bind%n",
                        s.name(), options.smppHost, options.smppPort);
                out.flush();
            }
            boolean bound;
            try {
                bound = runner.start(Duration.ofSeconds(30));
            } catch (java.io.IOException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 3;
            }
            if (!bound) {
                if (runner.failure() != null) {
                    return GatewayUnusable.report(err, runner.failure());
                }
                if (smsc) {
                    err.printf("error: the gateway did not bind to every simulated SMSC on %s:%d within 30 s (a bind "
                            + "that submits and one that takes receipts for each carrier)%n", options.smppHost,
                            runner.smscPort());
                } else {
                    err.printf("error: not every carrier could bind to %s:%d within 30 s%n", options.smppHost,
                            options.smppPort);
                }
                err.flush();
                return 3;
            }
            Verifier.Result r;
            try {
                // a terminal shows the progress every 2 s; a log (CI, a file) gets a line every 10 s
                VerifyProgress progress = VerifyProgress.of(runner, out,
                        System.console() != null ? VerifyProgress.TERMINAL_EVERY : VerifyProgress.LOG_EVERY);
                r = new Verifier(s, runner, client, progress).verify();
            } catch (java.io.IOException e) {
                err.println("error: " + e.getMessage());
                err.flush();
                return 3;
            }
            out.print(r.text());
            if (ledger != null) {
                ledger.finish(w -> ScenarioRunner.writeLedger(w, r.ledger()));
                out.println("ledger written to " + options.ledger());
            }
            out.flush();
            return r.ok() ? 0 : 1;
        }
    }
}
