package io.dlrgate.dist;

import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.cli.ServeCommand;
import io.dlrgate.gateway.cli.UserCommand;
import io.dlrgate.simulator.cli.SimCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code dlrgate}: one command line for the gateway ({@code serve}), its stored users ({@code user add}), the demo ({@code demo}: gateway plus
 * simulated carriers) and the simulator ({@code sim ...}, also reachable as {@code ./dlrgate-sim}).
 */
@Command(name = "dlrgate", mixinStandardHelpOptions = true, versionProvider = DlrgateMain.Version.class,
        description = "SMPP gateway simulator with delivery reporting.",
        footer = {"%nBenchmarks: ./dlrgate bench --help (they ship in a jar of their own, bench/target/dlrgate-bench.jar)."},
        subcommands = {ServeCommand.class, DemoCommand.class, UserCommand.class, CommandLine.HelpCommand.class})
public final class DlrgateMain implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The whole command line, as {@code main} runs it (tests use it too). */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DlrgateMain());
        // The simulator's own command line (with its error handling), entered as `dlrgate sim`.
        cl.addSubcommand("sim", SimCommand.commandLine().setCommandName("sim"));
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"dlrgate " + Gateway.version()};
        }
    }
}
