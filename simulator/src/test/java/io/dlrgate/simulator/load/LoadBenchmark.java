package io.dlrgate.simulator.load;

import io.dlrgate.simulator.testing.FakeGatewayServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Not a test: prints the load driver's figures against the fake gateway (which acknowledges without storing),
 * i.e. the raw ceiling of the simulator side. Run with
 * {@code java -cp <test classpath> io.dlrgate.simulator.load.LoadBenchmark [sessions] [window] [count] [rate]}.
 */
public final class LoadBenchmark {
    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int window = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
        long rate = args.length > 3 ? Long.parseLong(args[3]) : 0;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            ids.add(Long.toString(1_000_000_000L + i));
        }
        try (FakeGatewayServer gateway = FakeGatewayServer.start("bench", "pw")) {
            gateway.recordReceipts(false);
            LoadDriver.Settings s = LoadDriver.Settings.defaults("127.0.0.1", gateway.port(), "bench", "pw")
                    .withSessions(sessions).withWindow(window).withMaxTime(Duration.ofSeconds(120)).withRate(rate);
            // warm-up
            new LoadDriver(s.withCount(20_000), ids).run();
            LoadReport r = new LoadDriver(s.withCount(count), ids).run();
            System.out.println(r.describe());
            System.out.println("fake gateway acknowledged (both runs): " + gateway.acknowledgedCount());
        }
    }
}
