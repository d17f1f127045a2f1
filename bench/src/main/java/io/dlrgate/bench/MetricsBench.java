package io.dlrgate.bench;

import io.dlrgate.config.GatewayConfig;
import io.dlrgate.config.Tab;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.metrics.GatewayMetrics;
import io.dlrgate.gateway.metrics.MicrometerGatewayMetrics;
import io.dlrgate.reporting.write.ReceiptOutcome;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code dlrgate bench metrics}: what the metrics cost on the receipt hot path. The durable receipt run of
 * {@code bench receipts} (K transmitter sessions, each deliver_sm_resp only once stored), on one database,
 * against gateways started alternately with metrics on (the real {@code GatewayMetrics}, HikariCP tracker, JVM
 * binders) and off (the no-op implementation, chosen in code through {@link Gateway#start(GatewayConfig, Clock,
 * boolean)}), in the order off, on, on, off, ... so that drift (a growing table, a warming machine) falls on both
 * sides. {@code /metrics} is scraped every second during every phase, as a Prometheus would (more often).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Cost of metrics on receipt intake: durable receipts/s and latency with metrics on vs off, "
                + "side by side (phases off, on, on, off, ...).")
public final class MetricsBench implements Callable<Integer> {

    @Mixin
    ReceiptPhaseOptions receipts = new ReceiptPhaseOptions();

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    record Phase(boolean metricsOn, ReceiptSender.Result result, HeapMonitor.Figures heap, long scrapes,
                 long scrapeBytes) {
        String name() {
            return metricsOn ? "metrics on" : "metrics off";
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!receipts.valid()) {
            throw new IllegalArgumentException("need --messages >= 1, --pairs >= 1, --sessions 1..50, --window >= 1, "
                    + "--warmup >= 0");
        }
        int phases = receipts.pairs * 2;
        long perPhase = receipts.perPhase();
        long total = perPhase * phases;
        System.out.printf(Locale.ROOT, "bench metrics: %d phases of %,d receipts (+%,d warm-up), K=%d sessions x window "
                        + "%d; JVM %s, %d CPUs, max heap %s%n", phases, receipts.messages, receipts.warmup,
                receipts.sessions, receipts.window, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(),
                FiguresTable.mib(Runtime.getRuntime().maxMemory()));
        List<BenchGateway.Carrier> carriers = List.of(BenchGateway.receiptCarrier(receipts.sessions));
        List<Phase> done = new ArrayList<>();
        try (BenchDatabase db = database.open("metrics")) {
            System.out.println("database: " + db.describe());
            GatewayConfig cfg = BenchGateway.config(db, carriers, database.poolSize);
            hotPath = hotPathNanos(cfg);
            System.out.printf(Locale.ROOT, "hot path per receipt (deliver_sm in, outcome, deliver_sm_resp out), one "
                    + "thread: metrics on %.1f ns, off %.1f ns%n", hotPath[0], hotPath[1]);
            seeded(db, cfg, total);
            for (int p = 0; p < phases; p++) {
                boolean on = (p % 4 == 1 || p % 4 == 2); // off, on, on, off, off, on, on, off ...
                long first = 1 + p * perPhase;
                Phase phase = run(cfg, on, first);
                done.add(phase);
                System.out.println("phase " + (p + 1) + ", " + phase.name() + ": " + ReceiptsBench.describe(phase.result())
                        + "; " + phase.scrapes() + " scrapes of " + phase.scrapeBytes() / Math.max(1, phase.scrapes())
                        + " bytes");
            }
        }
        print(done);
        boolean ok = done.stream().allMatch(p -> p.result().unfinished() == 0 && p.result().refused() == 0);
        return ok ? 0 : 1;
    }

    private double[] hotPath = {0, 0};

    /**
     * What the metrics add per receipt on the hot path, measured alone (so the machine's load hardly matters):
     * the PDU in, the receipt's outcome, the PDU out, through the real facade and through the no-op one.
     */
    static double[] hotPathNanos(GatewayConfig cfg) {
        GatewayMetrics on = new MicrometerGatewayMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), cfg);
        Instant now = Instant.now();
        ReceiptOutcome o = new ReceiptOutcome(1L, "applied", Tab.PENDING, Tab.DELIVERED, BenchGateway.RECEIPT_CARRIER,
                "DELIVRD", now.minusSeconds(3), now);
        double[] out = new double[2];
        for (int round = 0; round < 3; round++) { // the last round counts; the first ones warm the JIT
            out[0] = perReceipt(on, o, 2_000_000);
            out[1] = perReceipt(GatewayMetrics.NOOP, o, 2_000_000);
        }
        return out;
    }

    private static double perReceipt(GatewayMetrics m, ReceiptOutcome o, int n) {
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            m.pdu(true, 0x00000005, 0);
            m.receipt(o, true);
            m.pdu(false, 0x80000005, 0);
        }
        return (System.nanoTime() - t0) / (double) n;
    }

    /** One gateway, one warm-up, one measured run. */
    private Phase run(GatewayConfig cfg, boolean metricsOn, long firstId) throws Exception {
        Gateway gateway = Gateway.start(cfg, Clock.systemUTC(), metricsOn);
        ScheduledExecutorService scraper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-scrape");
            t.setDaemon(true);
            return t;
        });
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        AtomicLong scrapes = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        try (ReceiptSender sender = new ReceiptSender(receipts.sessions, receipts.window);
             HeapMonitor heap = new HeapMonitor()) {
            sender.bind(gateway.smppPort(), BenchGateway.RECEIPT_SYSTEM_ID, BenchGateway.RECEIPT_PASSWORD);
            if (receipts.warmup > 0) {
                sender.send(firstId + receipts.messages, receipts.warmup, 0, receipts.maxSeconds * 1000);
            }
            scraper.scheduleAtFixedRate(() -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + gateway.httpPort() + "/metrics")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    scrapes.incrementAndGet();
                    bytes.addAndGet(r.body().length());
                } catch (Exception e) {
                    // a missed scrape changes nothing measured
                }
            }, 0, 1, TimeUnit.SECONDS);
            heap.start();
            ReceiptSender.Result r = sender.send(firstId, receipts.messages, 0, receipts.maxSeconds * 1000);
            return new Phase(metricsOn, r, heap.stop(), scrapes.get(), bytes.get());
        } finally {
            scraper.shutdownNow();
            gateway.close();
        }
    }

    /** Messages 1..total as the send path leaves them after an OK submit_sm_resp (carrier ids "1".."total"). */
    private static void seeded(BenchDatabase db, GatewayConfig cfg, long total) throws Exception {
        Gateway.start(cfg, Clock.systemUTC(), false).close(); // creates the schema
        long t0 = System.nanoTime();
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            BenchGateway.insertReceiptMessages(c, total);
            // Seeded around the send path: its report counters (V11, V18) recounted in the same transaction.
            io.dlrgate.reporting.counters.ReportCounters.rebuild(c);
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze messages");
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from messages")) {
                rs.next();
                System.out.printf(Locale.ROOT, "seeded %,d submitted messages in %.1f s%n", rs.getLong(1),
                        (System.nanoTime() - t0) / 1e9);
            }
        }
    }

    private void print(List<Phase> phases) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            columns.add((i + 1) + ": " + phases.get(i).name());
        }
        columns.add("mean, on");
        columns.add("mean, off");
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench metrics: durable receipts with "
                + "metrics on vs off, K=%d sessions x window %d, %,d receipts per phase", receipts.sessions,
                receipts.window, receipts.messages),
                columns);
        double onRate = mean(phases, true, p -> p.result().ackRate());
        double offRate = mean(phases, false, p -> p.result().ackRate());
        t.row("receipts/s acknowledged", cells(phases, p -> FiguresTable.num(p.result().ackRate()),
                FiguresTable.num(onRate), FiguresTable.num(offRate)));
        t.row("p50 send -> deliver_sm_resp", cells(phases, p -> FiguresTable.ms(p.result().p50Micros()),
                FiguresTable.ms((long) mean(phases, true, p -> p.result().p50Micros())),
                FiguresTable.ms((long) mean(phases, false, p -> p.result().p50Micros()))));
        t.row("p99", cells(phases, p -> FiguresTable.ms(p.result().p99Micros()),
                FiguresTable.ms((long) mean(phases, true, p -> p.result().p99Micros())),
                FiguresTable.ms((long) mean(phases, false, p -> p.result().p99Micros()))));
        t.row("max", cells(phases, p -> FiguresTable.ms(p.result().maxMicros()), "", ""));
        t.row("throttled / refused / unfinished", cells(phases, p -> p.result().throttled() + " / "
                + p.result().refused() + " / " + p.result().unfinished(), "", ""));
        t.row("heap peak, sampled", cells(phases, p -> FiguresTable.mib(p.heap().sampledPeakBytes()), "", ""));
        t.row("GC collections / time", cells(phases, p -> p.heap().gcCount() + " / " + p.heap().gcMillis() + " ms", "", ""));
        t.row("/metrics scrapes (1/s), mean size", cells(phases, p -> p.scrapes() + " x "
                + p.scrapeBytes() / Math.max(1, p.scrapes()) + " B", "", ""));
        t.row("machine load avg 1m (start -> end)", cells(phases, p -> p.heap().load(), "", ""));
        t.print(System.out);
        System.out.printf(Locale.ROOT, "receipts/s, metrics on vs off: %,.0f vs %,.0f = %s of the rate without metrics%n",
                onRate, offRate, FiguresTable.pct(onRate / Math.max(1e-9, offRate)));
        System.out.printf(Locale.ROOT, "hot path alone, per receipt (PDU in, outcome with the delivery histogram, PDU "
                + "out), one thread: metrics on %.1f ns, off %.1f ns%n", hotPath[0], hotPath[1]);
        System.out.println("Each phase: a fresh in-process gateway on the same database, " + receipts.warmup + " warm-up "
                + "receipts, then the measured run as fast as the gateway acknowledges (durable). Off = the no-op "
                + "GatewayMetrics (no counters, no HikariCP tracker, no JVM binders); /metrics is scraped every second "
                + "in both. The CPUs are shared with the database and the senders: compare the columns, not machines.");
    }

    private static String[] cells(List<Phase> phases, java.util.function.Function<Phase, String> f, String on,
                                  String off) {
        List<String> out = new ArrayList<>();
        phases.forEach(p -> out.add(f.apply(p)));
        out.add(on);
        out.add(off);
        return out.toArray(String[]::new);
    }

    private static double mean(List<Phase> phases, boolean on, java.util.function.ToDoubleFunction<Phase> f) {
        return phases.stream().filter(p -> p.metricsOn() == on).mapToDouble(f).average().orElse(0);
    }
}
