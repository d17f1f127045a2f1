package io.dlrgate.simulator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dlrgate-sim}: simulated carriers and the receipt-intake load. */
@Command(name = "dlrgate-sim", mixinStandardHelpOptions = true, version = "dlrgate-sim 0.1.0",
        description = "Simulated SMPP carriers (binding to the gateway, or as SMSCs an ESME binds to) for the dlrgate gateway.",
        subcommands = {CarrierCommand.class, LoadCommand.class, RunCommand.class, SmscCommand.class, VerifyCommand.class,
                CommandLine.HelpCommand.class})
public final class SimCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A command line with clear one-line errors for bad flag values. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SimCommand());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof IllegalArgumentException) {
                commandLine.getErr().println("error: " + ex.getMessage());
                return 2;
            }
            throw ex;
        });
        return cl;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
