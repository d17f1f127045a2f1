package io.dlrgate.gateway.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dlrgate}: the gateway's command line. */
@Command(name = "dlrgate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "SMPP gateway simulator with delivery reporting.",
        subcommands = {ServeCommand.class, CommandLine.HelpCommand.class})
public final class DlrgateCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new DlrgateCommand()).execute(args));
    }
}
