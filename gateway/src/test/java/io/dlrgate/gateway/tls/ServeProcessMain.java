package io.dlrgate.gateway.tls;

import io.dlrgate.gateway.cli.ServeCommand;
import picocli.CommandLine;

/** {@code dlrgate serve} in a JVM of its own, for tests that send it signals. Arguments as for serve. */
public final class ServeProcessMain {

    private ServeProcessMain() {
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new ServeCommand()).execute(args));
    }
}
