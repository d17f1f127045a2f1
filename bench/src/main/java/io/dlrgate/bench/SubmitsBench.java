package io.dlrgate.bench;

import com.cloudhopper.smpp.SmppBindType;
import com.cloudhopper.smpp.impl.DefaultSmppClient;
import io.dlrgate.config.GatewayConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.reporting.message.SubmitOutcome;
import io.dlrgate.reporting.write.CommitListener;
import io.dlrgate.reporting.write.ReceiptOutcome;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.sql.Connection;
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
 * {@code dlrgate bench submits}: the send path from the HTTP API to the carriers and back into the store.
 * For each carrier count: a fresh database, an in-process gateway, N carriers bound (one transceiver session
 * each, answering every submit_sm at once, no receipts), M messages sent as campaign sends in chunks through
 * the API, and the time from the first API call until every message has reached a carrier (submits/s) and until
 * every message is recorded as submitted with its carrier id (stored/s).
 */
@Command(name = "submits", mixinStandardHelpOptions = true,
        description = "Send path benchmark: M messages through the HTTP API to 1 and to 4 bound carriers; prints "
                + "submits/s (received by the carriers), stored/s, API enqueue time and the heap peak.")
public final class SubmitsBench implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "100000", description = "messages per phase (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--carriers", defaultValue = "1,4", split = ",", description = "carrier counts, one phase each (default ${DEFAULT-VALUE})")
    List<Integer> carrierCounts;

    @Option(names = "--parts", defaultValue = "1,3", split = ",", description = "parts per message (1 or 3, "
            + "concatenated with an 8-bit UDH), one phase each per carrier count (default ${DEFAULT-VALUE})")
    List<Integer> partCounts;

    @Option(names = "--chunk", defaultValue = "10000", description = "contacts per campaign-send API call (default ${DEFAULT-VALUE})")
    int chunk;

    @Option(names = "--max-seconds", defaultValue = "300", description = "time bound of each phase (default ${DEFAULT-VALUE})")
    long maxSeconds;

    /** The figures of one phase. */
    record Phase(int carriers, int parts, int messages, double apiSeconds, double carriersSeconds, double storedSeconds,
                 long submitsReceived, long distinctReceived, long storedAccepted, long otherOutcomes,
                 Map<String, Long> dispatchStates, HeapMonitor.Figures heap, String database, double startSeconds) {
    }

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || messages > 1_000_000) {
            throw new IllegalArgumentException("--messages must be 1..1000000");
        }
        if (chunk < 1 || chunk > 100_000) {
            throw new IllegalArgumentException("--chunk must be 1..100000");
        }
        for (int n : carrierCounts) {
            if (n < 1 || n > 9) {
                throw new IllegalArgumentException("--carriers values must be 1..9, got " + n);
            }
        }
        System.out.printf(Locale.ROOT, "bench submits: %,d messages per phase, carriers %s, chunks of %,d contacts; "
                + "JVM %s, %d CPUs, max heap %s, GC %s%n", messages, carrierCounts, chunk,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                FiguresTable.mib(Runtime.getRuntime().maxMemory()), HeapMonitor.collectors());
        List<Phase> phases = new ArrayList<>();
        for (int parts : partCounts) {
            if (parts != 1 && parts != 3) {
                throw new IllegalArgumentException("--parts values must be 1 or 3, got " + parts);
            }
        }
        for (int n : carrierCounts) {
            for (int parts : partCounts) {
                phases.add(runPhase(n, parts));
            }
        }
        print(phases);
        boolean ok = phases.stream().allMatch(p -> p.distinctReceived() == (long) p.messages() * p.parts()
                && p.storedAccepted() >= (long) p.messages() * p.parts());
        return ok ? 0 : 1;
    }

    /** 400 GSM-7 septets: three parts of 153 + 153 + 94. */
    static final String THREE_PART_CONTENT = ("Benchmark message: winter sale, 30% off coats this weekend only, "
            + "and free delivery on every order over 50. ").repeat(5).substring(0, 400);

    private Phase runPhase(int n, int parts) throws Exception {
        System.out.printf(Locale.ROOT, "%n--- phase: %d carrier(s), %d part(s) a message ---%n", n, parts);
        List<BenchGateway.Carrier> carriers = new ArrayList<>();
        for (int k = 1; k <= n; k++) {
            carriers.add(new BenchGateway.Carrier("c" + k, "bench" + k, "bench" + k, "+44770" + k, 2));
        }
        try (BenchDatabase db = database.open("submits" + n)) {
            System.out.println("database: " + db.describe());
            GatewayConfig cfg = BenchGateway.config(db, carriers, database.poolSize);
            long s0 = System.nanoTime();
            Gateway gateway = BenchGateway.start(cfg);
            double startSeconds = (System.nanoTime() - s0) / 1e9;
            NioEventLoopGroup group = new NioEventLoopGroup(2, new DefaultThreadFactory("bench-carrier-io", true));
            ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                    new DefaultThreadFactory("bench-carrier-timer", true));
            DefaultSmppClient client = new DefaultSmppClient(group, timer);
            List<BenchCarrier> sims = new ArrayList<>();
            HeapMonitor heap = new HeapMonitor();
            try {
                long expectedSubmits = (long) messages * parts;
                BenchCarrier.Seen seen = new BenchCarrier.Seen(expectedSubmits);
                for (int k = 1; k <= n; k++) {
                    int slot = k - 1;
                    BenchCarrier c = new BenchCarrier("carrier-" + k, seen, dest -> indexOf(dest, n, slot), 1,
                            parts);
                    c.bind(client, gateway.smppPort(), "bench" + k, "bench" + k, SmppBindType.TRANSCEIVER);
                    sims.add(c);
                }
                long bindDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                for (BenchGateway.Carrier c : carriers) {
                    while (gateway.smpp().sessions().submitCapable(c.id()).isEmpty()) {
                        if (System.nanoTime() > bindDeadline) {
                            throw new IllegalStateException("carrier " + c.id() + " did not bind");
                        }
                        Thread.sleep(10);
                    }
                }
                AtomicLong accepted = new AtomicLong();
                AtomicLong other = new AtomicLong();
                AtomicLong storedAt = new AtomicLong();
                gateway.committer().addListener(new CommitListener() {
                    @Override
                    public void committed(List<SubmitOutcome> submits, List<ReceiptOutcome> receipts,
                                          List<ReceiptOutcome> matchedOrphans, long commitNanos) {
                        long a = 0;
                        for (SubmitOutcome s : submits) {
                            if (s.kind() == SubmitOutcome.Kind.ACCEPTED) {
                                a++;
                            } else {
                                other.incrementAndGet();
                            }
                        }
                        if (accepted.addAndGet(a) >= expectedSubmits) {
                            storedAt.compareAndSet(0, System.nanoTime());
                        }
                    }
                });
                BenchGateway.Api api = new BenchGateway.Api(gateway.httpPort());
                long campaign = parts == 1 ? api.createCampaign("bench submits " + n + " carriers")
                        : api.createCampaign("bench submits " + n + " carriers, 3 parts", THREE_PART_CONTENT);

                heap.start();
                long t0 = System.nanoTime();
                for (int from = 0; from < messages; from += chunk) {
                    int to = Math.min(messages, from + chunk);
                    List<String> numbers = new ArrayList<>(to - from);
                    for (int i = from; i < to; i++) {
                        numbers.add(number(i, n));
                    }
                    api.send(campaign, numbers);
                }
                long tApi = System.nanoTime();
                long deadline = t0 + TimeUnit.SECONDS.toNanos(maxSeconds);
                while ((seen.allSeenNanos == 0 || accepted.get() < expectedSubmits) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                HeapMonitor.Figures h = heap.stop();
                long tSeen = seen.allSeenNanos;
                long tStored = storedAt.get();
                Map<String, Long> states = dispatchStates(db);
                System.out.printf(Locale.ROOT, "phase done: carriers got %,d submit_sm (%,d distinct), store has %s%n",
                        seen.total.get(), seen.distinct.get(), states);
                return new Phase(n, parts, messages, (tApi - t0) / 1e9, tSeen == 0 ? Double.NaN : (tSeen - t0) / 1e9,
                        tStored == 0 ? Double.NaN : (tStored - t0) / 1e9, seen.total.get(), seen.distinct.get(),
                        accepted.get(), other.get(), states, h, db.describe(), startSeconds);
            } finally {
                heap.close();
                sims.forEach(BenchCarrier::close);
                client.destroy();
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS);
                timer.shutdownNow();
                gateway.close();
            }
        }
    }

    /** Message i goes to carrier (i mod n); its number is that carrier's prefix and i / n in six digits. */
    static String number(int i, int n) {
        return "+44770" + (i % n + 1) + String.format(Locale.ROOT, "%06d", i / n);
    }

    static long indexOf(String destination, int n, int slot) {
        String d = destination.trim();
        long local = Long.parseLong(d.substring(d.length() - 6));
        return local * n + slot;
    }

    private static Map<String, Long> dispatchStates(BenchDatabase db) throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select dispatch_state, count(*) from messages group by 1 order by 1")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private void print(List<Phase> phases) {
        List<String> cols = phases.stream().map(p -> p.carriers() + (p.carriers() == 1 ? " carrier" : " carriers")
                + ", " + p.parts() + (p.parts() == 1 ? " part" : " parts")).toList();
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT,
                "dlrgate bench submits: %,d messages via POST /api/v1/campaigns/{id}/sends in chunks of %,d "
                        + "(aim: >= 5,000 submits/s)", messages, chunk), cols);
        t.row("submits/s (all received by carriers)", phases.stream().map(p -> FiguresTable.num((double) p.messages() * p.parts() / p.carriersSeconds())).toArray(String[]::new));
        t.row("messages/s (all parts received)", phases.stream().map(p -> FiguresTable.num(p.messages() / p.carriersSeconds())).toArray(String[]::new));
        t.row("stored/s (all 'submitted' + carrier ids)", phases.stream().map(p -> FiguresTable.num(p.messages() / p.storedSeconds())).toArray(String[]::new));
        t.row("time to all received by carriers", phases.stream().map(p -> FiguresTable.dec(p.carriersSeconds(), 3) + " s").toArray(String[]::new));
        t.row("time to all stored as submitted", phases.stream().map(p -> FiguresTable.dec(p.storedSeconds(), 3) + " s").toArray(String[]::new));
        t.row("API enqueue time (all chunks answered)", phases.stream().map(p -> FiguresTable.dec(p.apiSeconds(), 3) + " s").toArray(String[]::new));
        t.row("API enqueue rate", phases.stream().map(p -> FiguresTable.num(p.messages() / p.apiSeconds()) + " msg/s").toArray(String[]::new));
        t.row("submit_sm received (incl. repeats)", phases.stream().map(p -> FiguresTable.num(p.submitsReceived())).toArray(String[]::new));
        t.row("distinct submits received (message x part)", phases.stream().map(p -> FiguresTable.num(p.distinctReceived())).toArray(String[]::new));
        t.row("accepted outcomes committed", phases.stream().map(p -> FiguresTable.num(p.storedAccepted())).toArray(String[]::new));
        t.row("retry/failed/rejected outcomes", phases.stream().map(p -> FiguresTable.num(p.otherOutcomes())).toArray(String[]::new));
        t.row("store: dispatch_state counts", phases.stream().map(p -> p.dispatchStates().toString()).toArray(String[]::new));
        t.row("heap peak, sampled every 50 ms", phases.stream().map(p -> FiguresTable.mib(p.heap().sampledPeakBytes())).toArray(String[]::new));
        t.row("heap peak, sum of pool peaks", phases.stream().map(p -> FiguresTable.mib(p.heap().poolPeakSumBytes())).toArray(String[]::new));
        t.row("heap committed peak / max", phases.stream().map(p -> FiguresTable.mib(p.heap().committedPeakBytes()) + " / " + FiguresTable.mib(p.heap().maxBytes())).toArray(String[]::new));
        t.row("GC collections / time", phases.stream().map(p -> p.heap().gcCount() + " / " + p.heap().gcMillis() + " ms").toArray(String[]::new));
        t.row("machine load avg 1m (start -> end)", phases.stream().map(p -> p.heap().load()).toArray(String[]::new));
        t.row("gateway start (migrations incl.)", phases.stream().map(p -> FiguresTable.dec(p.startSeconds(), 2) + " s").toArray(String[]::new));
        t.row("database", phases.stream().map(Phase::database).toArray(String[]::new));
        t.print(System.out);
        System.out.println("Times run from the first API call. The heap is this whole JVM: gateway, in-process carriers "
                + "and HTTP client (the carriers keep one bit per message). Carriers answer every submit_sm at once, "
                + "window 500 and max_submit_rate 100000 per carrier, one transceiver session each.");
    }
}
