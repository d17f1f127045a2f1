package io.dlrgate.gateway.intake;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.JvmProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A gateway in a JVM of its own, for tests that kill it: {@code GatewayProcessMain <config.yaml>} starts
 * {@link Gateway} from the file (no environment overrides, so the test's file is the whole truth) and prints
 * {@code DLRGATE-READY smpp=<port> http=<port>} once it takes traffic. It runs until killed.
 */
public final class GatewayProcessMain {

    public static final String READY = "DLRGATE-READY";
    private static final Pattern PORTS = Pattern.compile("^" + READY + " smpp=(\\d+) http=(\\d+)$");

    /** The ports a started child printed in its {@link #READY} line. */
    public record Ports(int smpp, int http) {
        /** Reads {@code line} as {@link #main} prints it; fails saying what it got otherwise. */
        public static Ports of(String line) {
            Matcher m = PORTS.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("not a ready line: " + line);
            }
            return new Ports(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
        }
    }

    /** A started child gateway: its process and the ports it listens on. */
    public record Child(JvmProcess process, Ports ports) {
    }

    private GatewayProcessMain() {
    }

    /**
     * Starts a gateway in a JVM of its own on {@code classPath} (see {@link JvmProcess#snapshotClassPath}) with
     * {@code config}, its output in {@code log}, and waits (bounded) until it takes traffic.
     */
    public static Child launch(String classPath, Path config, String maxHeap, Path log, Duration timeout)
            throws Exception {
        JvmProcess p = JvmProcess.start(classPath, GatewayProcessMain.class, List.of("-Xmx" + maxHeap),
                List.of(config.toString()), log);
        try {
            return new Child(p, Ports.of(p.awaitLine(READY, timeout)));
        } catch (Exception | Error e) {
            p.close();
            throw e;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: GatewayProcessMain <config.yaml>");
            System.exit(2);
        }
        GatewayConfig config = ConfigLoader.load(Path.of(args[0]), Map.of());
        Gateway gateway = Gateway.start(config, Clock.systemUTC());
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "gateway-shutdown"));
        System.out.println(READY + " smpp=" + gateway.smppPort() + " http=" + gateway.httpPort());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
