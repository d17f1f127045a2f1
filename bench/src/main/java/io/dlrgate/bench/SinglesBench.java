package io.dlrgate.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench singles}: the single-send input alone, one message per {@code POST /api/v1/messages} from
 * {@code C} concurrent clients, as an application (or Kannel's sendsms) sends. dlrgate runs in a JVM of its own
 * ({@link ChildGateway}) with a fresh database, and its one carrier never binds, so the messages stay queued and
 * what is measured is the input path only: HTTP, authentication, validation, the suppression check, the insert and
 * its commit. For each concurrency: a cold phase in the fresh JVM, then warm phases in the same process. Figures:
 * accepted/s, latency percentiles, CPU per message of the gateway's process and of the PostgreSQL backends serving
 * its database (from /proc), and a check that every accepted message is stored exactly once.
 */
@Command(name = "singles", mixinStandardHelpOptions = true,
        description = "Single sends, one message per HTTP request from concurrent clients, the input path alone: "
                + "accepted/s, latency, CPU per message (gateway + PostgreSQL), cold and warm.")
public final class SinglesBench implements Callable<Integer> {

    @Option(names = "--messages", defaultValue = "5000", description = "messages per phase (default ${DEFAULT-VALUE})")
    int messages;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,8,32", description = "concurrent HTTP clients; "
            + "a fresh gateway for each value (default ${DEFAULT-VALUE})")
    List<Integer> concurrency;

    @Option(names = "--warm-phases", defaultValue = "2", description = "phases after the cold one, in the same "
            + "process (default ${DEFAULT-VALUE})")
    int warmPhases;

    @Option(names = "--gateway-jvm-option", description = "a JVM option of dlrgate's process, e.g. "
            + "-XX:StartFlightRecording=filename=gw.jfr (repeatable)")
    List<String> gatewayJvmOptions = new ArrayList<>();

    @Option(names = "--work", description = "folder for configs and logs (default: a new one under /tmp)")
    Path work;

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    /** The figures of one phase. */
    record Phase(int concurrency, String name, InputDriver.Result in, long stored, long gatewayCpuNanos,
                 long postgresCpuNanos, long commits, String load) {
    }

    private int phaseNo;

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || messages > 1_000_000 || warmPhases < 0 || warmPhases > 10
                || concurrency.stream().anyMatch(c -> c < 1 || c > 64)) {
            throw new IllegalArgumentException("--messages 1..1000000, --concurrency 1..64 each, --warm-phases 0..10");
        }
        if (work == null) {
            work = Files.createTempDirectory("dlrgate-bench-singles");
        }
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "bench singles: %,d messages per phase, one per POST /api/v1/messages, "
                        + "concurrency %s, a cold and %d warm phases each, work folder %s, %d CPUs, load %s%n",
                messages, concurrency, warmPhases, work, Runtime.getRuntime().availableProcessors(),
                HeapMonitor.loadAverage());
        List<Phase> phases = new ArrayList<>();
        for (int c : concurrency) {
            try (BenchDatabase db = database.open("singles" + c)) {
                Path conf = work.resolve("dlrgate-c" + c + ".yaml");
                // Nobody binds as this carrier: the messages stay queued, and only the input path is measured.
                Files.writeString(conf, BenchGateway.yaml(db, BenchGateway.bindingCarrier("idle", "+44", "idle",
                        "idle-pw", 100), database.poolSize));
                try (KannelBench.GatewayProcess gw = KannelBench.GatewayProcess.start(conf, gatewayJvmOptions,
                        work.resolve("dlrgate-c" + c + ".log"))) {
                    for (int k = 0; k <= warmPhases; k++) {
                        Phase p = phase(db, gw, c, k == 0 ? "cold" : "warm " + k);
                        phases.add(p);
                        System.out.printf(Locale.ROOT, "c=%d %s: %,.0f accepted/s, p50 %.1f ms, p99 %.1f ms, %.2f "
                                        + "commits per message, CPU per message gateway %.3f ms + PostgreSQL %.3f ms; "
                                        + "accepted %d, refused %d%s, stored %d; load %s%n", c, p.name(),
                                p.in().accepted() / p.in().seconds(), p.in().latencyMillis(50),
                                p.in().latencyMillis(99), (double) p.commits() / messages, perMessage(p.gatewayCpuNanos()),
                                perMessage(p.postgresCpuNanos()), p.in().accepted(), p.in().refused(),
                                p.in().refused() > 0 ? " (" + p.in().firstRefusal() + ")" : "", p.stored(), p.load());
                    }
                }
            }
        }
        print(phases);
        return phases.stream().allMatch(p -> p.in().refused() == 0 && p.stored() == p.in().accepted()) ? 0 : 1;
    }

    private Phase phase(BenchDatabase db, KannelBench.GatewayProcess gw, int c, String name) throws Exception {
        String prefix = String.format(Locale.ROOT, "4478%02d", ++phaseNo);
        String load0 = HeapMonitor.loadAverage();
        try (Connection conn = db.connect()) {
            ProcCpu.Delta pg = new ProcCpu.Delta(ProcCpu.backends(conn, db.name()));
            long commits0 = commits(conn);
            long gw0 = ProcCpu.nanos(gw.process.pid());
            InputDriver.Result in = DlrgateInput.send("single", gw.httpPort, DlrgateInput.numbers("+" + prefix,
                    messages), 1, c);
            long gwNanos = ProcCpu.nanos(gw.process.pid()) - gw0;
            long pgNanos = pg.since(ProcCpu.backends(conn, db.name()));
            return new Phase(c, name, in, stored(conn, "+" + prefix), gwNanos, pgNanos, commits(conn) - commits0,
                    load0 + " -> " + HeapMonitor.loadAverage());
        }
    }

    /**
     * Transactions committed in the database so far, the gateway's and this benchmark's (PostgreSQL publishes its
     * counters within a second or so: the figure of a phase is close, not exact).
     */
    private static long commits(Connection c) throws SQLException {
        // A fresh snapshot: within a transaction, PostgreSQL would answer the figures it read first.
        try (PreparedStatement clear = c.prepareStatement("select pg_stat_clear_snapshot()");
             PreparedStatement ps = c.prepareStatement("select xact_commit from pg_stat_database "
                     + "where datname = current_database()")) {
            clear.execute();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The phase's messages in the store: queued or, had a number been suppressed, listed as skipped. */
    private static long stored(Connection c, String prefix) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select (select count(*) from messages where recipient like ?)"
                + " + (select count(*) from skipped_single_sends where recipient like ?)")) {
            ps.setString(1, prefix + "%");
            ps.setString(2, prefix + "%");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private double perMessage(long nanos) {
        return nanos / 1e6 / messages;
    }

    private void print(List<Phase> phases) {
        List<String> cols = phases.stream().map(p -> "c=" + p.concurrency() + " " + p.name()).toList();
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench singles: %,d messages per phase, "
                + "one per POST /api/v1/messages, the carrier unbound (input path only)", messages), cols);
        t.row("accepted/s", col(phases, p -> FiguresTable.num(p.in().accepted() / p.in().seconds())));
        t.row("latency p50 / p99", col(phases, p -> FiguresTable.dec(p.in().latencyMillis(50), 1) + " / "
                + FiguresTable.dec(p.in().latencyMillis(99), 1) + " ms"));
        t.row("accepted / refused / stored", col(phases, p -> p.in().accepted() + " / " + p.in().refused() + " / "
                + p.stored()));
        t.row("database commits per message", col(phases, p -> FiguresTable.dec((double) p.commits() / messages, 2)));
        t.row("CPU per message: gateway process", col(phases, p -> ms(p.gatewayCpuNanos())));
        t.row("CPU per message: its PostgreSQL backends", col(phases, p -> ms(p.postgresCpuNanos())));
        t.row("CPU per message: gateway + backends", col(phases, p -> ms(p.gatewayCpuNanos() + p.postgresCpuNanos())));
        t.row("load avg 1m (start -> end)", col(phases, Phase::load));
        t.print(System.out);
        System.out.println("CPU from /proc (10 ms ticks) of dlrgate's JVM and of the PostgreSQL backends connected to "
                + "its database (the WAL writer and checkpointer, shared with the server's other users, are not "
                + "counted). The clients run in this JVM and are not counted. Commits: pg_stat_database.xact_commit of "
                + "the gateway's database, its background work (dispatch, expiry, webhooks polls) included.");
    }

    private String ms(long nanos) {
        return FiguresTable.dec(perMessage(nanos), 3) + " ms";
    }

    private static String[] col(List<Phase> phases, java.util.function.Function<Phase, String> f) {
        return phases.stream().map(f).toArray(String[]::new);
    }
}
