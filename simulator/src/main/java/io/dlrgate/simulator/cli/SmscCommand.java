package io.dlrgate.simulator.cli;

import io.dlrgate.simulator.carrier.SmscTls;
import io.dlrgate.simulator.scenario.Scenario;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dlrgate-sim smsc --scenario FILE}: plays the scenario's carriers as SMSCs that any ESME binds to (dlrgate's
 * client role, or your own), whatever the file's {@code role}, until Ctrl-C, {@code --max-seconds} or
 * {@code --stop-after}; then prints a summary of what was sent and writes the ledger. Exit 0 when stopped; 2: bad
 * input; 3: the port cannot be listened on. {@code --tls-cert} and {@code --tls-key} make it a TLS SMSC.
 */
@Command(name = "smsc", mixinStandardHelpOptions = true,
        description = "Run the scenario's simulated carriers as SMSCs that an ESME binds to; print a summary and "
                + "write the ledger at exit.")
public final class SmscCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--scenario", required = true, paramLabel = "FILE", description = "the scenario file (YAML)")
    Path scenario;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "address to listen on; loopback only (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", defaultValue = "2775", description = "SMPP port to listen on; 0 picks a free port, "
            + "printed at start (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "listen with TLS: this PEM certificate (chain); "
            + "needs --tls-key")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "the TLS private key: unencrypted PKCS#8 PEM "
            + "(-----BEGIN PRIVATE KEY-----)")
    Path tlsKey;

    @Mixin
    PlayOptions play = new PlayOptions();

    @Option(names = "--max-seconds", defaultValue = "0",
            description = "stop after this many seconds; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(names = "--stop-after", paramLabel = "N", defaultValue = "0",
            description = "stop once N messages were accepted and every receipt was answered (0: never)")
    long stopAfter;

    @Option(names = "--print-gateway-config",
            description = "print the dlrgate carriers section (connect blocks) that binds to this SMSC")
    boolean printGatewayConfig;

    @Override
    public Integer call() throws Exception {
        ScenarioOptions options = new ScenarioOptions();
        options.file = scenario;
        options.smppHost = host;
        options.smppPort = port;
        options.play = play;
        if ((tlsCert == null) != (tlsKey == null)) {
            spec.commandLine().getErr().println("error: --tls-cert and --tls-key go together");
            return 2;
        }
        if (tlsCert != null) {
            try {
                options.smscTls = SmscTls.fromPem(tlsCert, tlsKey);
                options.smscTlsCert = tlsCert.toAbsolutePath();
            } catch (IllegalArgumentException e) {
                spec.commandLine().getErr().println("error: " + e.getMessage());
                return 2;
            }
        }
        Scenario s = options.load(spec.commandLine().getErr());
        if (s == null) {
            return 2;
        }
        return RunCommand.play(spec, options, s.withRole(Scenario.Role.SMSC), maxSeconds, stopAfter,
                printGatewayConfig);
    }
}
