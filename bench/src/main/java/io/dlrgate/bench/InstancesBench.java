package io.dlrgate.bench;

import io.dlrgate.simulator.carrier.Ledger;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench instances}: one gateway instance against two on the same database, in one run. Each phase
 * gets a fresh database and fresh gateway JVMs ({@link ChildGateway}, so each instance's CPU is read from /proc);
 * the messages are queued through the HTTP API while no carrier is bound, then the simulated carriers bind (all to
 * the one instance, or half to each of the two) and the phase runs until every receipt was acknowledged. A receipt
 * is acknowledged only once stored, so the carriers' acknowledgements are the durable receipts. On a machine with
 * fewer cores than instances the instances share them: the figure is what a second instance costs, not what it adds.
 */
@Command(name = "instances", mixinStandardHelpOptions = true,
        description = "One gateway instance vs two on the same database (both in the cluster, carriers split "
                + "between them), same messages, alternating: durable receipts/s, submit_sm/s, CPU per durable "
                + "receipt of each gateway JVM and of the database's PostgreSQL backends, lost/duplicates against "
                + "the carriers' ledgers, and the two/one ratio.")
public final class InstancesBench implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "40000", description = "messages per phase (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--warmup", defaultValue = "10000", description = "messages per phase sent first through the "
            + "same carriers and instances, not measured, so that each gateway JVM is compiled before the measured "
            + "messages (0: measure cold JVMs) (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--carriers", defaultValue = "4", description = "simulated carriers binding in, one transceiver "
            + "each: 2 or 4; with two instances half bind to each (default ${DEFAULT-VALUE})")
    int carriers;

    @Option(names = "--window", defaultValue = "100", description = "each session's window, at both ends (default ${DEFAULT-VALUE})")
    int window;

    @Option(names = "--chunk", defaultValue = "1000", description = "contacts per campaign send when queueing (default ${DEFAULT-VALUE})")
    int chunk;

    @Option(names = "--receipt-delay", defaultValue = "10ms", description = "the simulator's receipt delay (default ${DEFAULT-VALUE})")
    String receiptDelay;

    @Option(names = "--rounds", defaultValue = "1", description = "rounds of both phases, one instance first in odd "
            + "rounds and two first in even ones (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--max-seconds", defaultValue = "600", description = "time bound of each phase's traffic (default ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(names = "--gateway-jvm-option", description = "a JVM option of each gateway process (repeatable)")
    List<String> gatewayJvmOptions = new ArrayList<>();

    @Option(names = "--work", description = "folder for configs and gateway logs (default: a new one under /tmp)")
    Path work;

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    /** The figures of one phase; per-instance lists in instance order. */
    record Phase(int instances, int round, int registered, long queued, double submitSeconds, long submits,
                 double ackSeconds, long acked, List<Long> ackedPerInstance, List<Long> gatewayCpuNanos,
                 long postgresCpuNanos, long benchCpuNanos, String check, long duplicates, boolean settled,
                 String load) {

        boolean clean() {
            return settled && check.startsWith("equal") && duplicates == 0 && registered == instances;
        }

        double receiptsPerSecond() {
            return acked / ackSeconds;
        }
    }

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || messages > 190_000 || (carriers != 2 && carriers != 4) || window < 1 || window > 10_000
                || chunk < 1 || chunk > 100_000 || warmup < 0 || warmup > 190_000 || rounds < 1 || rounds > 10 || maxSeconds < 1 || maxSeconds > 3600) {
            throw new IllegalArgumentException("--messages 1..190000, --carriers 2 or 4, --window 1..10000, "
                    + "--chunk 1..100000, --warmup 0..190000, --rounds 1..10, --max-seconds 1..3600");
        }
        if (work == null) {
            work = Files.createTempDirectory("dlrgate-bench-instances");
        }
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "bench instances: %,d messages per phase, %d carriers (one transceiver each, "
                        + "window %d), %,d warm-up messages first, %d round(s), JVM %s, %d CPUs, work folder %s%n",
                messages, carriers, window, warmup,
                rounds, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), work);
        List<Phase> phases = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            // ABBA: the bench JVM (the simulated carriers) warms up from phase to phase
            int first = r % 2 == 1 ? 1 : 2;
            phases.add(runPhase(first, r));
            phases.add(runPhase(3 - first, r));
        }
        print(phases);
        return phases.stream().allMatch(Phase::clean) ? 0 : 1;
    }

    private List<SimPeer.Account> accounts() {
        List<SimPeer.Account> out = new ArrayList<>();
        for (int i = 0; i < carriers; i++) {
            out.add(new SimPeer.Account("c" + i, "inst" + i, "instpw" + i));
        }
        return out;
    }

    /** Carrier i routes the numbers starting with this (with '+'). */
    private static String prefix(int round, int instances, int carrier) {
        return "+447" + round + instances + carrier;
    }

    private Phase runPhase(int n, int round) throws Exception {
        System.out.printf(Locale.ROOT, "%n--- round %d: %d instance%s ---%n", round, n, n == 1 ? "" : "s");
        String load0 = HeapMonitor.loadAverage();
        List<SimPeer.Account> accounts = accounts();
        StringBuilder entries = new StringBuilder();
        for (int i = 0; i < carriers; i++) {
            SimPeer.Account a = accounts.get(i);
            entries.append(BenchGateway.bindingCarrier(a.id(), prefix(round, n, i), a.systemId(), a.password(), window));
        }
        List<KannelBench.GatewayProcess> gateways = new ArrayList<>();
        List<SimPeer> peers = new ArrayList<>();
        try (BenchDatabase db = database.open("instances" + round + "_" + n)) {
            try {
                // one after the other: the first applies the migrations to the fresh database
                for (int g = 0; g < n; g++) {
                    Path conf = work.resolve("gateway-r" + round + "-n" + n + "-" + g + ".yaml");
                    Files.writeString(conf, BenchGateway.yaml(db, entries.toString(), database.poolSize));
                    gateways.add(KannelBench.GatewayProcess.start(conf, gatewayJvmOptions,
                            work.resolve("gateway-r" + round + "-n" + n + "-" + g + ".log")));
                }
                int registered = awaitRegistered(db, n);
                System.out.printf(Locale.ROOT, "instances live in the database: %d; ports (http/smpp) %s%n",
                        registered, gateways.stream().map(g -> g.httpPort + "/" + g.smppPort).toList());

                List<List<Ledger.Entry>> warmLedgers = new ArrayList<>();
                String warmCheck = "";
                if (warmup > 0) {
                    // the same carriers and instances, then unbound: the measured messages are queued while none is
                    queue(gateways, round, n, warmup, "9");
                    List<SimPeer> warm = bind(gateways, accounts, n);
                    try {
                        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(maxSeconds);
                        List<SimPeer.Progress> progress = new ArrayList<>();
                        for (int i = 0; i < carriers; i++) {
                            progress.add(SimPeer.Progress.fromZero(warm.get(i % n).carrier(accounts.get(i).id()),
                                    share(warmup, i)));
                        }
                        for (SimPeer.Progress p : progress) {
                            p.await(deadline);
                            p.close();
                        }
                        System.out.println("warm-up: " + progress.stream().map(SimPeer.Progress::describe).toList());
                        warmCheck = check(db, warm, accounts, n, round, "9");
                        for (int i = 0; i < carriers; i++) {
                            warmLedgers.add(warm.get(i % n).carrier(accounts.get(i).id()).ledger().entries());
                        }
                    } finally {
                        warm.forEach(SimPeer::close);
                    }
                    System.out.println("warm-up reports vs ledger: " + warmCheck);
                }
                // queue every message while no carrier is bound, spread over the instances' APIs
                long queued = queue(gateways, round, n, messages, "0");

                // instance g gets the carriers i with i % n == g
                try (Connection c = db.connect()) {
                    Set<Long> backends = ProcCpu.backends(c, db.name());
                    ProcCpu.Delta pg = new ProcCpu.Delta(backends);
                    List<Long> gw0 = gateways.stream().map(g -> ProcCpu.nanos(g.process.pid())).toList();
                    com.sun.management.OperatingSystemMXBean os =
                            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                    long bench0 = os.getProcessCpuTime();
                    List<SimPeer.Progress> progress = new ArrayList<>();
                    long t0 = System.nanoTime();
                    peers.addAll(bind(gateways, accounts, n));
                    for (int i = 0; i < carriers; i++) {
                        // counted from zero: the carrier is fresh, and the gateway sends as soon as it is bound
                        progress.add(SimPeer.Progress.fromZero(peers.get(i % n).carrier(accounts.get(i).id()),
                                share(messages, i)));
                    }
                    long deadline = t0 + TimeUnit.SECONDS.toNanos(maxSeconds);
                    boolean settled = true;
                    for (SimPeer.Progress p : progress) {
                        settled &= p.await(deadline);
                    }
                    long benchCpu = os.getProcessCpuTime() - bench0;
                    List<Long> gwCpu = new ArrayList<>();
                    for (int g = 0; g < n; g++) {
                        gwCpu.add(ProcCpu.nanos(gateways.get(g).process.pid()) - gw0.get(g));
                    }
                    long pgCpu = pg.since(ProcCpu.backends(c, db.name()));
                    long firstSubmit = Long.MAX_VALUE;
                    long allSubmitted = 0;
                    long firstAck = Long.MAX_VALUE;
                    long lastAck = 0;
                    long submits = 0;
                    long acked = 0;
                    long[] ackedPer = new long[n];
                    for (int k = 0; k < progress.size(); k++) {
                        SimPeer.Progress p = progress.get(k);
                        p.close();
                        System.out.println((p.settled ? "settled: " : "TIMED OUT: ") + p.describe());
                        firstSubmit = Math.min(firstSubmit, p.firstSubmitNanos);
                        allSubmitted = Math.max(allSubmitted, p.allSubmittedNanos);
                        firstAck = Math.min(firstAck, p.firstAckNanos);
                        lastAck = Math.max(lastAck, p.lastAckNanos);
                        submits += p.submits();
                        acked += p.acknowledged();
                    }
                    long duplicates = 0;
                    for (int i = 0; i < carriers; i++) {
                        SimPeer.Account a = accounts.get(i);
                        ackedPer[i % n] += peers.get(i % n).carrier(a.id()).stats().receiptsAcknowledged();
                        // warm-up and measured submits together: a warm-up message sent again after the rebind counts
                        List<Ledger.Entry> all = new ArrayList<>(peers.get(i % n).carrier(a.id()).ledger().entries());
                        if (!warmLedgers.isEmpty()) {
                            all.addAll(warmLedgers.get(i));
                        }
                        duplicates += duplicates(all);
                    }
                    String result = check(db, peers, accounts, n, round, "0");
                    boolean equal = result.startsWith("equal") && (warmup == 0 || warmCheck.startsWith("equal"));
                    result = (equal ? "equal" : "DIFFERENT") + result.substring(result.indexOf(" -- "));
                    System.out.println("reports vs ledger: " + result + "; duplicate submits " + duplicates);
                    return new Phase(n, round, registered, queued, (allSubmitted - firstSubmit) / 1e9, submits,
                            (lastAck - firstAck) / 1e9, acked, java.util.Arrays.stream(ackedPer).boxed().toList(),
                            gwCpu, pgCpu, benchCpu, result, duplicates, settled,
                            load0 + " -> " + HeapMonitor.loadAverage());
                }
            } finally {
                peers.forEach(SimPeer::close);
                gateways.forEach(KannelBench.GatewayProcess::close);
            }
        }
    }

    private int share(int total, int carrier) {
        return total / carriers + (carrier < total % carriers ? 1 : 0);
    }

    /** Queues {@code total} messages over the carriers (number: carrier prefix, {@code tag}, 5 digits). */
    private long queue(List<KannelBench.GatewayProcess> gateways, int round, int n, int total, String tag)
            throws Exception {
        long queued = 0;
        long q0 = System.nanoTime();
        for (int i = 0; i < carriers; i++) {
            List<String> numbers = new ArrayList<>();
            for (int k = 0; k < share(total, i); k++) {
                // 12 digits in all, as the other benchmarks' numbers: a longer one is not a valid UK number
                numbers.add(prefix(round, n, i) + tag + String.format(Locale.ROOT, "%05d", k));
            }
            queued += traffic(gateways.get(i % n).httpPort, numbers);
        }
        System.out.printf(Locale.ROOT, "queued %,d messages in %.1f s%n", queued, (System.nanoTime() - q0) / 1e9);
        return queued;
    }

    /** Binds the carriers: instance g gets the carriers i with i % n == g, one simulator per instance. */
    private List<SimPeer> bind(List<KannelBench.GatewayProcess> gateways, List<SimPeer.Account> accounts, int n)
            throws Exception {
        List<SimPeer> peers = new ArrayList<>();
        try {
            for (int g = 0; g < n; g++) {
                List<SimPeer.Account> mine = new ArrayList<>();
                for (int i = g; i < carriers; i += n) {
                    mine.add(accounts.get(i));
                }
                peers.add(SimPeer.carriers(mine, window, receiptDelay, gateways.get(g).smppPort));
            }
        } catch (Exception e) {
            peers.forEach(SimPeer::close);
            throw e;
        }
        return peers;
    }

    /** Store against the ledgers for the numbers tagged {@code tag}: "equal ..." or "DIFFERENT ...", per carrier. */
    private String check(BenchDatabase db, List<SimPeer> peers, List<SimPeer.Account> accounts, int n, int round,
                         String tag) throws Exception {
        StringBuilder out = new StringBuilder();
        boolean equal = true;
        for (int i = 0; i < carriers; i++) {
            String id = accounts.get(i).id();
            String digits = prefix(round, n, i).substring(1) + tag;
            String one = RolesBench.compare(db, peers.get(i % n).finals(id, digits), digits);
            equal &= one.startsWith("equal");
            out.append(out.length() == 0 ? "" : "; ").append(id).append(": ").append(one);
        }
        return (equal ? "equal" : "DIFFERENT") + " -- " + out;
    }

    private long traffic(int httpPort, List<String> numbers) throws Exception {
        InputDriver.Result in = DlrgateInput.send("campaign", httpPort, numbers, chunk, 1);
        if (in.refused() > 0) {
            throw new IllegalStateException("queueing refused " + in.refused() + ": " + in.firstRefusal());
        }
        return in.accepted();
    }

    /** Accepted submit_sm beyond the first for the same number: a message sent twice. */
    static long duplicates(List<Ledger.Entry> entries) {
        Map<String, Integer> seen = new HashMap<>();
        long dup = 0;
        for (Ledger.Entry e : entries) {
            if (e.submitStatus() == 0 && seen.merge(e.destination(), 1, Integer::sum) > 1) {
                dup++;
            }
        }
        return dup;
    }

    /** Waits (30 s at most) until {@code n} instances hold a live lease in the database; returns how many do. */
    private static int awaitRegistered(BenchDatabase db, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int live = 0;
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            while (true) {
                try (ResultSet rs = s.executeQuery("select count(*) from instances where lease_until > now()")) {
                    rs.next();
                    live = rs.getInt(1);
                }
                if (live >= n || System.nanoTime() > deadline) {
                    return live;
                }
                Thread.sleep(50);
            }
        }
    }

    private void print(List<Phase> phases) {
        List<String> cols = phases.stream().map(p -> (rounds > 1 ? "r" + p.round() + " " : "") + p.instances()
                + (p.instances() == 1 ? " instance" : " instances")).toList();
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench instances: %,d messages per "
                + "phase queued, then %d carriers bind (split over the instances), window %d, receipts stored before "
                + "acknowledged", messages, carriers, window), cols);
        t.row("durable receipts/s (first -> last ack)", col(phases, p -> FiguresTable.num(p.receiptsPerSecond())));
        t.row("submit_sm/s (first -> last submit_sm)", col(phases, p -> FiguresTable.num(p.submits() / p.submitSeconds())));
        t.row("submit_sm / receipts acknowledged", col(phases, p -> FiguresTable.num(p.submits()) + " / "
                + FiguresTable.num(p.acked())));
        t.row("receipts acknowledged per instance", col(phases, p -> join(p.ackedPerInstance(), FiguresTable::num)));
        t.row("CPU per durable receipt: each gateway JVM", col(phases, p -> join(p.gatewayCpuNanos(),
                v -> us(v, p.acked()))));
        t.row("  the same, per receipt it acknowledged itself", col(phases, p -> {
            List<String> out = new ArrayList<>();
            for (int g = 0; g < p.instances(); g++) {
                out.add(us(p.gatewayCpuNanos().get(g), p.ackedPerInstance().get(g)));
            }
            return String.join(" + ", out);
        }));
        t.row("CPU per durable receipt: gateways together", col(phases, p -> us(sum(p.gatewayCpuNanos()), p.acked())));
        t.row("CPU per durable receipt: its PostgreSQL backends", col(phases, p -> us(p.postgresCpuNanos(), p.acked())));
        t.row("CPU per durable receipt: gateways + backends", col(phases, p -> us(sum(p.gatewayCpuNanos())
                + p.postgresCpuNanos(), p.acked())));
        t.row("CPU per durable receipt: bench JVM (carriers)", col(phases, p -> us(p.benchCpuNanos(), p.acked())));
        t.row("instances live in the database", col(phases, p -> Integer.toString(p.registered())));
        t.row("reports vs ledger (lost, wrong tab)", col(phases, p -> p.check().startsWith("equal") ? "equal" : "DIFFERENT"));
        t.row("duplicate submit_sm", col(phases, p -> Long.toString(p.duplicates())));
        t.row("load avg 1m (start -> end)", col(phases, Phase::load));
        t.print(System.out);
        double[] rate = new double[3];
        double[] cpu = new double[3];
        for (Phase p : phases) {
            rate[p.instances()] += p.receiptsPerSecond();
            cpu[p.instances()] += (double) (sum(p.gatewayCpuNanos()) + p.postgresCpuNanos()) / p.acked();
        }
        System.out.printf(Locale.ROOT, "two/one over %d round(s) (means): durable receipts/s %.1f %% (aim: >= 90 %%), "
                        + "CPU per durable receipt, gateways + backends, %.1f %%%n", rounds, 100 * rate[2] / rate[1],
                100 * cpu[2] / cpu[1]);
        System.out.println("CPU from /proc (10 ms ticks) from the carriers' binds to the last acknowledgement: each "
                + "gateway's JVM, and the PostgreSQL backends connected to the phase's database (WAL writer and "
                + "checkpointer not counted). Queueing through the API is before that window and not counted.");
    }

    private static long sum(List<Long> v) {
        return v.stream().mapToLong(Long::longValue).sum();
    }

    private static String us(long nanos, long receipts) {
        return FiguresTable.dec(nanos / 1e3 / Math.max(1, receipts), 1) + " µs";
    }

    private static String join(List<Long> v, Function<Long, String> f) {
        return String.join(" + ", v.stream().map(f).toList());
    }

    private static String[] col(List<Phase> phases, Function<Phase, String> f) {
        return phases.stream().map(f).toArray(String[]::new);
    }
}
