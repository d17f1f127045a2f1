package io.dlrgate.simulator.cli;

import java.io.PrintWriter;

/** How every command ends when a carrier cannot bind for good: one line on stderr, exit code 3. */
final class GatewayUnusable {
    static final int EXIT = 3;

    private GatewayUnusable() {
    }

    static int report(PrintWriter err, String reason) {
        err.println("error: " + reason);
        err.flush();
        return EXIT;
    }
}
