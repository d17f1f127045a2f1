package io.dlrgate.bench;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.gateway.app.Gateway;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * A gateway in a JVM of its own, for benchmarks that measure the gateway's process from outside (its CPU from
 * /proc, a fresh JVM for cold figures): {@code java -cp dlrgate-bench.jar io.dlrgate.bench.ChildGateway FILE}
 * starts the gateway with the config file, prints {@code smpp-port N} and then {@code http-port N} once it serves,
 * and stops when its standard input closes (the parent ends it that way, or by dying).
 */
public final class ChildGateway {

    static final String READY = "http-port ";
    /** Printed just before {@link #READY}: the SMPP listener's port, for carriers that bind in. */
    static final String SMPP = "smpp-port ";

    private ChildGateway() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        Gateway gateway = Gateway.start(ConfigLoader.fromYaml(Files.readString(file), file.toString(), Map.of()),
                Clock.systemUTC());
        System.out.println(SMPP + gateway.smppPort());
        System.out.println(READY + gateway.httpPort());
        System.out.flush();
        try {
            while (System.in.read() != -1) {
                // nothing to read: the parent only ever closes the pipe
            }
        } finally {
            gateway.close();
        }
        System.exit(0);
    }
}
