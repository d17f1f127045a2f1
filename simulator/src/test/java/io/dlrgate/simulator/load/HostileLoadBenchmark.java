package io.dlrgate.simulator.load;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.simulator.carrier.IdFormat;
import io.dlrgate.simulator.carrier.SimCarrierSettings;
import io.dlrgate.simulator.carrier.SimulatedCarrier;
import io.dlrgate.simulator.cli.DialectOptions;
import io.dlrgate.simulator.outcome.Decision;
import io.dlrgate.simulator.receipt.ReceiptDialect;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: the {@code load} benchmark with the hostile dialect next to the standard one, against one real
 * in-process gateway on a fresh PostgreSQL (durable receipts: each deliver_sm_resp only after the commit).
 * Two carriers: {@code std} (decimal ids, standard receipts) and {@code hostile} (hex ids above 2^63; upper-case
 * labels, submitdate, 12-digit dates, hex id in the text, no TLVs, data_sm with message_payload). Each gets N
 * messages through the API, collected by a silent carrier, then K sessions send a DELIVRD for each as fast as
 * acknowledged; the phases alternate (standard, hostile, standard, hostile) so drift on a shared machine shows.
 * Run: {@code java -cp <test classpath> io.dlrgate.simulator.load.HostileLoadBenchmark [N] [sessions] [window]}.
 */
public final class HostileLoadBenchmark {
    private HostileLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int sessions = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int window = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        System.out.printf(Locale.ROOT, "hostile vs standard receipts: N=%,d per phase, K=%d, window %d, %d CPUs, load %.2f%n",
                n, sessions, window, Runtime.getRuntime().availableProcessors(),
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        String yaml = """
                carriers:
                  - {id: std, system_id: std, password: std-pw, prefixes: ["+44"], max_submit_rate: 20000, window_size: 200}
                  - {id: hostile, system_id: hostile, password: host-pw, prefixes: ["+33"], max_submit_rate: 20000,
                     window_size: 200, submit_id_format: hex, receipt_id_format: hex}
                """;
        try (GatewayHarness gw = GatewayHarness.start(yaml)) {
            String[][] phases = {{"std", "std-pw", "+44770", "standard"}, {"hostile", "host-pw", "+33612", "hostile"},
                    {"std", "std-pw", "+44771", "standard"}, {"hostile", "host-pw", "+33613", "hostile"}};
            StringBuilder table = new StringBuilder(String.format(Locale.ROOT, "%-9s %12s %10s %10s %10s %9s%n",
                    "dialect", "receipts/s", "p50 ms", "p99 ms", "max ms", "throttled"));
            int round = 0;
            for (String[] p : phases) {
                round++;
                List<String> ids = collect(gw, p[0], p[1], p[2], n, round, p[3].equals("hostile"));
                ReceiptDialect d = p[3].equals("hostile") ? DialectOptions.hostile() : ReceiptDialect.STANDARD;
                LoadDriver.Settings s = LoadDriver.Settings.defaults("127.0.0.1", gw.smppPort(), p[0], p[1])
                        .withSessions(sessions).withWindow(window).withMaxTime(Duration.ofSeconds(300))
                        .withDialect(d).withCount(ids.size());
                LoadReport r = new LoadDriver(s, ids).run();
                System.out.println(p[3] + ": " + r.describe());
                table.append(String.format(Locale.ROOT, "%-9s %12.0f %10.3f %10.3f %10.3f %9d%n", p[3],
                        r.acknowledged() / r.seconds(), r.p50Micros() / 1000.0, r.p99Micros() / 1000.0,
                        r.maxMicros() / 1000.0, r.throttled()));
            }
            System.out.print(table);
            // acknowledged is not applied: a receipt whose id the gateway cannot match is stored as an orphan
            System.out.println("receipts not matched to a message (open orphans): "
                    + gw.count("select count(*) from orphan_receipts where matched_at is null"));
        }
    }

    /** Sends n messages through the API to the carrier's prefix and collects their ids with a silent carrier. */
    static List<String> collect(GatewayHarness gw, String systemId, String password, String prefix, int n, int round,
                                boolean hex) throws Exception {
        SimulatedCarrier silent = new SimulatedCarrier(SimCarrierSettings.builder(systemId, password).name(systemId + "-collect")
                .port(gw.smppPort()).idFormat(hex ? IdFormat.HEX : IdFormat.DECIMAL)
                .idStart(hex ? 0x812FC74700000000L + round * 10_000_000L : 1_000_000_000L + round * 10_000_000L)
                .windowSize(200).build(), submit -> Decision.silence(), Clock.systemUTC());
        try {
            silent.start();
            silent.awaitBound(Duration.ofSeconds(30));
            var created = gw.post("/api/v1/campaigns", "{\"name\": \"bench " + round + "\", \"content\": \"Benchmark "
                    + round + ": winter sale, 30% off coats\", \"createdBy\": \"bench\"}");
            if (created.statusCode() != 201) {
                throw new IllegalStateException(created.body());
            }
            long id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body()).get("id").asLong();
            StringBuilder contacts = new StringBuilder();
            for (int i = 0; i < n; i++) {
                contacts.append(i == 0 ? "" : ",").append('"').append(prefix).append(String.format("%06d", i)).append('"');
            }
            var sent = gw.post("/api/v1/campaigns/" + id + "/sends", "{\"sentBy\": \"bench\", \"contacts\": [" + contacts + "]}");
            if (sent.statusCode() != 202) {
                throw new IllegalStateException(sent.body());
            }
            long end = System.nanoTime() + Duration.ofSeconds(300).toNanos();
            while (silent.ledger().size() < n && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            Thread.sleep(500); // let the gateway store the last submit_sm_resp ids
            return silent.ledger().issuedIds();
        } finally {
            silent.stop();
        }
    }
}
