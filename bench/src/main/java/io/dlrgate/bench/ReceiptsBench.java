package io.dlrgate.bench;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.smpp.CarrierTrafficListener;
import io.dlrgate.gateway.smpp.SmppGatewayServer;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.ReceiptOutcome;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench receipts}: durable receipt intake. One in-process gateway on a fresh database, M messages
 * already submitted to one carrier (ids 1..M), K transmitter sessions of that carrier sending a DELIVRD receipt
 * for each as fast as the gateway acknowledges (each deliver_sm_resp only after the receipt is committed). In
 * the same run, the same K sessions against a second SMPP server whose listener acknowledges every receipt at
 * once without storing (the raw rate), and a fixed-rate phase at an offered rate for latency.
 */
@Command(name = "receipts", mixinStandardHelpOptions = true,
        description = "Receipt intake benchmark: durable receipts/s, p50/p99/max time to deliver_sm_resp, "
                + "throttles, heap peak; raw SMPP rate of the same sessions against an acknowledge-only server; "
                + "latency at a fixed offered rate.")
public final class ReceiptsBench implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "100000", description = "M: receipts of the stored and raw phases (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--sessions", defaultValue = "4", description = "K: transmitter sessions (default ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--window", defaultValue = "200", description = "receipts in flight per session (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--fixed-rate", defaultValue = "5000", description = "offered receipts/s of the fixed-rate phase; 0 skips it (default ${DEFAULT-VALUE})")
    int fixedRate;

    @Option(names = "--fixed-seconds", defaultValue = "20", description = "length of the fixed-rate phase (default ${DEFAULT-VALUE})")
    int fixedSeconds;

    // Why so many: the JIT keeps compiling the gateway's paths for a few hundred thousand receipts. Measured on
    // the 2-core machine, the raw rate after 10,000 / 50,000 / 200,000 / 400,000 warm-up receipts was about
    // 28,000 / 43,000 / 60,000 / 62,000 per second, so a short warm-up measures the compiler, not the steady state
    // (and flatters the stored/raw ratio). The "JIT compile time in the phase" row shows what is left.
    @Option(names = "--warmup", defaultValue = "300000", description = "at most this many receipts sent (not measured) to each server before its measured phase, in rounds of --warmup-round, until a round spends under 5%% of its time compiling (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--warmup-round", defaultValue = "25000", description = "receipts per warm-up round (default ${DEFAULT-VALUE})")
    int warmupRound;

    @Option(names = "--seed", defaultValue = "sql", description = "how the submitted messages are made: sql (rows inserted directly, "
            + "as the send path leaves them) or api (sent through the HTTP API to a bound carrier that accepts them) (default ${DEFAULT-VALUE})")
    String seed;

    @Option(names = "--max-seconds", defaultValue = "300", description = "time bound of each phase (default ${DEFAULT-VALUE})")
    long maxSeconds;

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    record Measured(String name, ReceiptSender.Result result, HeapMonitor.Figures heap, CpuMonitor.Figures cpu) {
    }

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || sessions < 1 || sessions > 50 || window < 1 || window > 10_000 || fixedRate < 0
                || fixedSeconds < 1 || warmup < 0 || warmupRound < 1) {
            throw new IllegalArgumentException("need --messages >= 1, --sessions 1..50, --window 1..10000, "
                    + "--fixed-rate >= 0, --fixed-seconds >= 1, --warmup >= 0, --warmup-round >= 1");
        }
        if (!seed.equals("sql") && !seed.equals("api")) {
            throw new IllegalArgumentException("--seed must be sql or api");
        }
        long fixedCount = fixedRate == 0 ? 0 : (long) fixedRate * fixedSeconds;
        long total = messages + fixedCount + warmup;
        if (total > 999_999) {
            throw new IllegalArgumentException("messages + fixed-rate*fixed-seconds + warmup must stay below 1,000,000");
        }
        System.out.printf(Locale.ROOT, "bench receipts: M=%,d receipts, K=%d sessions, window %d; fixed rate %,d/s for "
                + "%d s; warm-up %,d; JVM %s, %d CPUs, max heap %s, GC %s%n", messages, sessions, window, fixedRate,
                fixedSeconds, warmup, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                FiguresTable.mib(Runtime.getRuntime().maxMemory()), HeapMonitor.collectors());

        List<BenchGateway.Carrier> carriers = List.of(BenchGateway.receiptCarrier(sessions));
        try (BenchDatabase db = database.open("receipts")) {
            System.out.println("database: " + db.describe());
            GatewayConfig cfg = BenchGateway.config(db, carriers, database.poolSize);
            Gateway gateway = BenchGateway.start(cfg);
            ReceiptSender sender = new ReceiptSender(sessions, window);
            HeapMonitor heap = new HeapMonitor();
            CpuMonitor cpu = new CpuMonitor();
            try {
                BenchGateway.Api api = new BenchGateway.Api(gateway.httpPort());
                long campaign = api.createCampaign("bench receipts");
                // ids 1..M: stored phase; M+1..M+F: fixed-rate phase; M+F+1..: warm-up
                long t0 = System.nanoTime();
                String seedHow = seed.equals("sql") ? seedSql(db, campaign, total) : seedApi(gateway, api, campaign, total);
                System.out.printf(Locale.ROOT, "seeded %,d submitted messages in %.1f s: %s%n", total,
                        (System.nanoTime() - t0) / 1e9, seedHow);
                CommitCounter commits = new CommitCounter();
                gateway.committer().addListener(commits);

                // Raw: the same K sessions against an SMPP server that acknowledges every receipt at once.
                Measured raw;
                // (The listener's default answers receipts with the throttle status, which would make the senders
                // retry forever: this server's whole point is to acknowledge OK without storing.)
                SmppGatewayServer rawServer = new SmppGatewayServer(cfg.smpp(), cfg.carriers(), new CarrierTrafficListener() {
                    @Override
                    public void receiptPdu(io.dlrgate.gateway.smpp.CarrierSession session,
                                           com.cloudhopper.smpp.pdu.PduRequest<?> pdu) {
                        session.respond(pdu.createResponse());
                    }
                });
                rawServer.start();
                try {
                    sender.bind(rawServer.port(), BenchGateway.RECEIPT_SYSTEM_ID, BenchGateway.RECEIPT_PASSWORD);
                    String rawWarm = warmUp(sender, 900_000);
                    System.out.println("raw warm-up: " + rawWarm);
                    raw = measure("raw (ack without storing)", heap, cpu,
                            () -> sender.send(1, messages, 0, maxSeconds * 1000));
                } finally {
                    rawServer.stop();
                }
                System.out.println("raw: " + describe(raw.result()));

                sender.bind(gateway.smppPort(), BenchGateway.RECEIPT_SYSTEM_ID, BenchGateway.RECEIPT_PASSWORD);
                String storedWarm = warmUp(sender, messages + fixedCount + 1);
                System.out.println("stored warm-up: " + storedWarm);
                commits.reset();
                Measured stored = measure("stored (durable ack)", heap, cpu,
                        () -> sender.send(1, messages, 0, maxSeconds * 1000));
                ReceiptSender.Result sr = stored.result();
                System.out.println("stored: " + describe(sr) + "; " + commits.describe());
                String storedCommits = commits.describe();

                Measured fixed = null;
                String fixedCommits = "";
                if (fixedCount > 0) {
                    commits.reset();
                    fixed = measure(String.format(Locale.ROOT, "stored at %,d/s offered", fixedRate), heap, cpu,
                            () -> sender.send(messages + 1, fixedCount, fixedRate, maxSeconds * 1000));
                    ReceiptSender.Result fr = fixed.result();
                    System.out.println("fixed: " + describe(fr) + "; " + commits.describe());
                    fixedCommits = commits.describe();
                }
                Map<String, Long> check = verify(db, campaign);
                String report = api.report(campaign);
                print(raw, stored, fixed, storedCommits, fixedCommits, seedHow, check, report, db.describe());
                boolean ok = sr.unfinished() == 0 && sr.refused() == 0
                        && (fixed == null || fixed.result().unfinished() == 0);
                return ok ? 0 : 1;
            } finally {
                heap.close();
                cpu.close();
                sender.close();
                gateway.close();
            }
        }
    }

    /**
     * Warm-up rounds until the JIT has settled: rounds of {@code warmupRound} receipts (ids from {@code firstId}),
     * stopping after the first round in which compilation took under 5% of the round's wall time, or when
     * {@code warmup} receipts have been sent. Returns what happened, for the output.
     */
    private String warmUp(ReceiptSender sender, long firstId) throws InterruptedException {
        long sent = 0;
        int rounds = 0;
        String last = "none";
        while (sent < warmup) {
            int n = (int) Math.min(warmupRound, warmup - sent);
            long jit0 = CpuMonitor.jitMillisTotal(); // -1 both times where unsupported: one round
            long t0 = System.nanoTime();
            ReceiptSender.Result r = sender.send(firstId + sent, n, 0, maxSeconds * 1000);
            double wallMs = (System.nanoTime() - t0) / 1e6;
            long compileMs = CpuMonitor.jitMillisTotal() - jit0;
            sent += n;
            rounds++;
            last = String.format(Locale.ROOT, "last round %,.0f/s, compiling %d ms of %.0f ms", r.ackRate(), compileMs, wallMs);
            if (compileMs < 0.05 * wallMs) {
                break;
            }
        }
        return String.format(Locale.ROOT, "%,d receipts in %d rounds (%s)", sent, rounds, last);
    }

    private interface Phase {
        ReceiptSender.Result run() throws InterruptedException;
    }

    /** One measured phase: heap and CPU watched from just before the first send to just after the last answer. */
    private static Measured measure(String name, HeapMonitor heap, CpuMonitor cpu, Phase phase)
            throws InterruptedException {
        heap.start();
        cpu.start();
        ReceiptSender.Result r = phase.run();
        return new Measured(name, r, heap.stop(), cpu.stop());
    }

    /** Counts committed batches and their sizes, to show how group commit behaved. */
    private static final class CommitCounter implements CommitListener {
        final AtomicLong batches = new AtomicLong();
        final AtomicLong receipts = new AtomicLong();
        final AtomicLong nanos = new AtomicLong();
        final AtomicLong maxBatch = new AtomicLong();

        void reset() {
            batches.set(0);
            receipts.set(0);
            nanos.set(0);
            maxBatch.set(0);
        }

        @Override
        public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> rs, List<ReceiptOutcome> matched,
                              long commitNanos) {
            if (rs.isEmpty()) {
                return;
            }
            batches.incrementAndGet();
            receipts.addAndGet(rs.size());
            nanos.addAndGet(commitNanos);
            maxBatch.accumulateAndGet(rs.size(), Math::max);
        }

        String describe() {
            long b = Math.max(1, batches.get());
            return String.format(Locale.ROOT, "%,d batches, mean %.0f receipts/batch (max %d), mean write %.2f ms/batch",
                    batches.get(), receipts.get() / (double) b, maxBatch.get(), nanos.get() / 1e6 / b);
        }
    }

    /** Rows exactly as the send path leaves a message whose submit_sm_resp was OK. One INSERT ... SELECT. */
    private static String seedSql(BenchDatabase db, long campaign, long total) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            long sendId;
            try (PreparedStatement ps = c.prepareStatement("insert into campaign_sends (campaign_id, sent_by, sent_at, "
                    + "requested, queued, skipped_suppressed, rejected) values (?, 'bench', now(), ?, ?, 0, 0) returning id")) {
                ps.setLong(1, campaign);
                ps.setLong(2, total);
                ps.setLong(3, total);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    sendId = rs.getLong(1);
                }
            }
            BenchGateway.insertReceiptMessages(c, total, campaign, sendId, "campaign",
                    "Benchmark message: winter sale, 30% off coats this weekend only.");
            // Seeded around the send path: its report counters (V11) recounted in the same transaction.
            io.dlrgate.reporting.counters.ReportCounters.rebuild(c);
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze messages");
            }
        }
        return "rows inserted directly with SQL (dispatch_state 'submitted', carrier ids 1..N, tab pending), "
                + "as the send path leaves them after an OK submit_sm_resp";
    }

    /** Through the real send path: API campaign sends, one bound carrier answering every submit_sm at once. */
    private String seedApi(Gateway gateway, BenchGateway.Api api, long campaign, long total) throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(1, new DefaultThreadFactory("bench-seed-io", true));
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("bench-seed-timer", true));
        DefaultSmppClient client = new DefaultSmppClient(group, timer);
        BenchCarrier.Seen seen = new BenchCarrier.Seen(total);
        AtomicLong accepted = new AtomicLong();
        CommitListener l = (submits, rs, matched, nanos) -> accepted.addAndGet(
                submits.stream().filter(s -> s.kind() == SubmitOutcome.Kind.ACCEPTED).count());
        gateway.committer().addListener(l);
        try (BenchCarrier carrier = new BenchCarrier("seed", seen, d -> Long.parseLong(d.substring(d.length() - 6)) - 1, 1)) {
            carrier.bind(client, gateway.smppPort(), BenchGateway.RECEIPT_SYSTEM_ID, BenchGateway.RECEIPT_PASSWORD,
                    SmppBindType.RECEIVER);
            for (long from = 1; from <= total; from += 10_000) {
                List<String> numbers = new ArrayList<>();
                for (long i = from; i < Math.min(total + 1, from + 10_000); i++) {
                    numbers.add("+447700" + String.format(Locale.ROOT, "%06d", i));
                }
                api.send(campaign, numbers);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
            while (accepted.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            if (accepted.get() < total) {
                throw new IllegalStateException("seeding through the API stored only " + accepted.get() + " of " + total);
            }
            if (carrier.issued() - 1 != total) {
                System.out.println("note: the seeding carrier issued " + (carrier.issued() - 1) + " ids for " + total
                        + " messages (resubmits); receipts for unused ids become orphans");
            }
        } finally {
            client.destroy();
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
            timer.shutdownNow();
        }
        return "sent through POST /api/v1/campaigns/{id}/sends to one bound carrier that accepted every submit_sm "
                + "(ids 1..N in the order it received them)";
    }

    private static Map<String, Long> verify(BenchDatabase db, long campaign) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select outcome, count(*) from receipts group by 1 order by 1")) {
                while (rs.next()) {
                    out.put("receipts." + rs.getString(1), rs.getLong(2));
                }
            }
            try (ResultSet rs = s.executeQuery("select count(*) from orphan_receipts")) {
                rs.next();
                out.put("orphans", rs.getLong(1));
            }
            try (ResultSet rs = s.executeQuery("select tab, count(*) from messages where campaign_id = " + campaign
                    + " group by 1 order by 1")) {
                while (rs.next()) {
                    out.put("messages." + rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    static String describe(ReceiptSender.Result r) {
        return String.format(Locale.ROOT, "%,d acknowledged in %.3f s = %,.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms, "
                        + "throttled %d, refused %d, expired %d, unfinished %d", r.acknowledged(), r.seconds(), r.ackRate(),
                r.p50Micros() / 1000.0, r.p99Micros() / 1000.0, r.maxMicros() / 1000.0, r.throttled(), r.refused(),
                r.expired(), r.unfinished());
    }

    private void print(Measured raw, Measured stored, Measured fixed, String storedCommits, String fixedCommits,
                       String seedHow, Map<String, Long> check, String report, String database) {
        List<Measured> all = new ArrayList<>(List.of(stored, raw));
        if (fixed != null) {
            all.add(fixed);
        }
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench receipts: K=%d sessions x window %d, "
                + "M=%,d receipts (aims: >= 10,000 durable/s, >= 60%% of raw, p99 < 50 ms at 5,000/s)", sessions, window,
                messages), all.stream().map(Measured::name).toList());
        t.row("receipts acknowledged OK", all.stream().map(m -> FiguresTable.num(m.result().acknowledged())).toArray(String[]::new));
        t.row("receipts/s acknowledged", all.stream().map(m -> FiguresTable.num(m.result().ackRate())).toArray(String[]::new));
        t.row("offered rate", all.stream().map(m -> m.result().offeredRate() <= 0 ? "max" : FiguresTable.num(m.result().offeredRate()) + "/s").toArray(String[]::new));
        t.row("elapsed (first send to last answer)", all.stream().map(m -> FiguresTable.dec(m.result().seconds(), 3) + " s").toArray(String[]::new));
        t.row("p50 send -> deliver_sm_resp", all.stream().map(m -> FiguresTable.ms(m.result().p50Micros())).toArray(String[]::new));
        t.row("p99", all.stream().map(m -> FiguresTable.ms(m.result().p99Micros())).toArray(String[]::new));
        t.row("p99.9", all.stream().map(m -> FiguresTable.ms(m.result().p999Micros())).toArray(String[]::new));
        t.row("max", all.stream().map(m -> FiguresTable.ms(m.result().maxMicros())).toArray(String[]::new));
        t.row("mean", all.stream().map(m -> FiguresTable.ms((long) m.result().meanMicros())).toArray(String[]::new));
        t.row("throttled (answered 0x58, retried)", all.stream().map(m -> FiguresTable.num(m.result().throttled())).toArray(String[]::new));
        t.row("refused / expired / unfinished", all.stream().map(m -> m.result().refused() + " / " + m.result().expired() + " / " + m.result().unfinished()).toArray(String[]::new));
        t.row("PDUs sent (retries incl.)", all.stream().map(m -> FiguresTable.num(m.result().pdusSent())).toArray(String[]::new));
        t.row("heap peak, sampled every 50 ms", all.stream().map(m -> FiguresTable.mib(m.heap().sampledPeakBytes())).toArray(String[]::new));
        t.row("heap peak, sum of pool peaks", all.stream().map(m -> FiguresTable.mib(m.heap().poolPeakSumBytes())).toArray(String[]::new));
        t.row("heap committed peak", all.stream().map(m -> FiguresTable.mib(m.heap().committedPeakBytes())).toArray(String[]::new));
        t.row("GC collections / time", all.stream().map(m -> m.heap().gcCount() + " / " + m.heap().gcMillis() + " ms").toArray(String[]::new));
        t.row("machine load avg 1m (start -> end)", all.stream().map(m -> m.heap().load()).toArray(String[]::new));
        t.row("CPU µs/receipt: load gen / gateway / JIT+GC+other / PostgreSQL",
                all.stream().map(m -> m.cpu().perItem(m.result().acknowledged())).toArray(String[]::new));
        t.row("JIT compile time in the phase", all.stream().map(m -> m.cpu().jitMillis() + " ms").toArray(String[]::new));
        t.print(System.out);
        double ratio = stored.result().ackRate() / Math.max(1e-9, raw.result().ackRate());
        System.out.printf(Locale.ROOT, "stored/raw ratio: %,.0f / %,.0f = %s%n", stored.result().ackRate(),
                raw.result().ackRate(), FiguresTable.pct(ratio));
        System.out.println(RatioBudget.of(raw.cpu(), raw.result().acknowledged(), stored.cpu(),
                stored.result().acknowledged()).describe(0.60, ratio));
        System.out.println("group commit, stored phase: " + storedCommits);
        if (fixed != null) {
            System.out.println("group commit, fixed-rate phase: " + fixedCommits);
        }
        System.out.println("seeding: " + seedHow);
        System.out.println("store after the run: " + check);
        System.out.println("campaign report: " + report);
        System.out.println("database: " + database);
        System.out.println("Order: raw (after its warm-up), then stored (after a warm-up on the gateway), then fixed "
                + "rate; each warm-up runs until the JIT has settled (see the warm-up lines above). Latency is per "
                + "attempt, from the write of the "
                + "deliver_sm to its deliver_sm_resp, measured in this JVM. The heap is this whole JVM (gateway and "
                + "the in-process senders).");
    }
}
