package io.dlrgate.gateway.intake;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * A gateway in a JVM of its own, for tests that kill it: {@code GatewayProcessMain <config.yaml>} starts
 * {@link Gateway} from the file (no environment overrides, so the test's file is the whole truth) and prints
 * {@code DLRGATE-READY smpp=<port> http=<port>} once it takes traffic. It runs until killed.
 */
public final class GatewayProcessMain {

    public static final String READY = "DLRGATE-READY";

    private GatewayProcessMain() {
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
