package io.dlrgate.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench kannel}: dlrgate's client role next to Kannel 1.4.5 (bearerbox as ESME, smsbox's sendsms for
 * input, dlr-url to a local receiver; {@code dlr-storage = pgsql} on the same PostgreSQL, and {@code internal}),
 * both binding to the same simulated SMSC (the simulator's SMSC role, in this JVM), one system at a time,
 * alternating, in one run. dlrgate runs in a JVM of its own ({@link ChildGateway}) so that both gateways are
 * measured the same way from outside: CPU from /proc of the gateway's processes and of the PostgreSQL backends
 * serving its database. Cold: a fresh JVM; warm: the same process after the cold phase (the warm-up). Run by hand
 * (needs {@code apt-get install kannel}); not part of the CI.
 */
@Command(name = "kannel", mixinStandardHelpOptions = true,
        description = "dlrgate's client role vs Kannel 1.4.5 (pgsql and internal DLR storage) on the same simulated "
                + "SMSC, alternating: input accepted/s, submit_sm/s, receipts acknowledged/s, first send to last "
                + "final report, lost/unmatched, CPU per message (gateway + PostgreSQL). Needs bearerbox and smsbox.")
public final class KannelBench implements Callable<Integer> {

    @Option(names = "--systems", split = ",", defaultValue = "dlrgate-cold,kannel-pgsql,kannel-internal,dlrgate-warm",
            description = "phases in order, repeated each round: dlrgate-cold (a fresh JVM), dlrgate-warm (the same "
                    + "JVM again), kannel-pgsql, kannel-internal (default ${DEFAULT-VALUE})")
    List<String> systems;

    @Option(names = "--rounds", defaultValue = "1", description = "rounds of the phases (default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--kannel-dir", defaultValue = "bench/kannel", description = "the Kannel config templates (default ${DEFAULT-VALUE})")
    Path kannelDir;

    @Option(names = "--gateway-jvm-option", description = "a JVM option of dlrgate's process, e.g. "
            + "-XX:StartFlightRecording=filename=gw.jfr (repeatable)")
    List<String> gatewayJvmOptions = new ArrayList<>();

    @Option(names = "--max-seconds", defaultValue = "600", description = "time bound of each phase (default ${DEFAULT-VALUE})")
    long maxSeconds;

    @Option(names = "--work", description = "folder for configs and logs (default: a new one under /tmp)")
    Path work;

    @Mixin
    TrafficOptions traffic = new TrafficOptions();

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    /** The figures of one phase. */
    record Phase(String system, int round, double inputSeconds, long accepted, double submitSeconds, long submits,
                 double ackSeconds, long acked, double endToEndSeconds, long finals, long lost, long unmatched,
                 String extra, long gatewayCpuNanos, long postgresCpuNanos, String load) {
    }

    private static final SimPeer.Account DLRGATE = new SimPeer.Account("dlrgate", "dlrgate", "dlrgtpw");
    private static final SimPeer.Account KANNEL = new SimPeer.Account("kannel", "kannel", "kannelpw");

    private GatewayProcess dlrgate;
    private BenchDatabase dlrgateDb;
    private int phaseNo;

    @Override
    public Integer call() throws Exception {
        traffic.check();
        if (rounds < 1 || rounds > 10) {
            throw new IllegalArgumentException("--rounds 1..10");
        }
        for (String s : systems) {
            if (!List.of("dlrgate-cold", "dlrgate-warm", "kannel-pgsql", "kannel-internal").contains(s)) {
                throw new IllegalArgumentException("--systems: unknown " + s);
            }
        }
        if (work == null) {
            work = Files.createTempDirectory("dlrgate-bench-kannel");
        }
        Files.createDirectories(work);
        System.out.printf(Locale.ROOT, "bench kannel: %,d messages per phase, window %d, one session, input %d "
                        + "concurrent HTTP clients, phases %s x %d, work folder %s, %d CPUs%n", traffic.messages, traffic.window,
                traffic.concurrency, systems, rounds, work, Runtime.getRuntime().availableProcessors());
        List<Phase> phases = new ArrayList<>();
        try (SimPeer smsc = SimPeer.smsc(List.of(DLRGATE, KANNEL), traffic.window, traffic.receiptDelay)) {
            System.out.println("simulated SMSC on 127.0.0.1:" + smsc.port());
            for (int r = 1; r <= rounds; r++) {
                for (String s : systems) {
                    Phase p = s.startsWith("dlrgate") ? dlrgatePhase(smsc, s, r) : kannelPhase(smsc, s, r);
                    phases.add(p);
                    System.out.printf(Locale.ROOT, "%s: end to end %.2f s, CPU per message gateway %.3f ms + "
                                    + "PostgreSQL %.3f ms, lost %d, unmatched %d%n", s, p.endToEndSeconds(),
                            p.gatewayCpuNanos() / 1e6 / traffic.messages, p.postgresCpuNanos() / 1e6 / traffic.messages, p.lost(),
                            p.unmatched());
                }
                stopDlrgate();
            }
        } finally {
            stopDlrgate();
        }
        print(phases);
        return phases.stream().allMatch(p -> p.lost() == 0 && p.unmatched() == 0) ? 0 : 1;
    }

    private String prefix() {
        return String.format(Locale.ROOT, "4478%02d", ++phaseNo);
    }

    private Phase dlrgatePhase(SimPeer smsc, String system, int round) throws Exception {
        System.out.printf(Locale.ROOT, "%n--- round %d: %s ---%n", round, system);
        if (system.equals("dlrgate-cold")) {
            stopDlrgate();
        }
        if (dlrgate == null) {
            dlrgateDb = database.open("kannelcmp_dlrgate" + round);
            Path conf = work.resolve("dlrgate-" + round + ".yaml");
            Files.writeString(conf, BenchGateway.yaml(dlrgateDb, BenchGateway.connectCarrier("sim", "+44",
                    smsc.port(), DLRGATE.systemId(), DLRGATE.password(), traffic.window), database.poolSize));
            dlrgate = GatewayProcess.start(conf, gatewayJvmOptions, work.resolve("dlrgate-" + round + ".log"));
            if (!smsc.awaitBound(DLRGATE.id(), Duration.ofSeconds(60))) {
                throw new IllegalStateException("dlrgate did not bind to the SMSC");
            }
        }
        String prefix = prefix();
        String load0 = HeapMonitor.loadAverage();
        try (Connection c = dlrgateDb.connect();
             SimPeer.Progress progress = new SimPeer.Progress(smsc.carrier(DLRGATE.id()), traffic.messages)) {
            Set<Long> backends = ProcCpu.backends(c, dlrgateDb.name());
            ProcCpu.Delta pg = new ProcCpu.Delta(backends);
            long gw0 = ProcCpu.nanos(dlrgate.process.pid());
            long t0 = System.nanoTime();
            InputDriver.Result in = traffic.sendToDlrgate(dlrgate.httpPort, DlrgateInput.numbers("+" + prefix,
                    traffic.messages));
            boolean done = progress.await(t0 + TimeUnit.SECONDS.toNanos(maxSeconds));
            long gw = ProcCpu.nanos(dlrgate.process.pid()) - gw0;
            long pgNanos = pg.since(ProcCpu.backends(c, dlrgateDb.name()));
            System.out.println((done ? "settled: " : "TIMED OUT: ") + progress.describe()
                    + (in.refused() > 0 ? "; input refused " + in.refused() + ": " + in.firstRefusal() : ""));
            // a receipt is acknowledged only once stored: the last acknowledgement is the last final report
            String check = RolesBench.compare(dlrgateDb, smsc.finals(DLRGATE.id(), prefix), prefix);
            System.out.println("reports vs ledger: " + check);
            long lost = countAfter(check, "lost ") + countAfter(check, "wrong tab ");
            return new Phase(system, round, in.seconds(), in.accepted(),
                    (progress.allSubmittedNanos - progress.firstSubmitNanos) / 1e9, progress.submits(),
                    (progress.lastAckNanos - progress.firstAckNanos) / 1e9, progress.acknowledged(),
                    (progress.lastAckNanos - t0) / 1e9, progress.submits(), lost,
                    countAfter(check, "not in the ledger "), "", gw, pgNanos,
                    load0 + " -> " + HeapMonitor.loadAverage());
        }
    }

    private static long countAfter(String text, String label) {
        int i = text.indexOf(label);
        if (i < 0) {
            return 0;
        }
        String rest = text.substring(i + label.length()).replaceAll("[^0-9].*", "");
        return rest.isEmpty() ? 0 : Long.parseLong(rest);
    }

    private Phase kannelPhase(SimPeer smsc, String system, int round) throws Exception {
        System.out.printf(Locale.ROOT, "%n--- round %d: %s ---%n", round, system);
        boolean pgsql = system.equals("kannel-pgsql");
        String prefix = prefix();
        String load0 = HeapMonitor.loadAverage();
        try (BenchDatabase db = pgsql ? database.open("kannelcmp_kannel" + round) : null;
             DlrReceiver receiver = new DlrReceiver()) {
            if (db != null) {
                try (Connection c = db.connect(); Statement s = c.createStatement()) {
                    s.execute(Files.readString(kannelDir.resolve("dlr-table.sql")));
                }
            }
            Path dir = work.resolve(system + "-" + round + "-" + phaseNo);
            try (KannelBoxes kannel = KannelBoxes.start(kannelDir, dir, smsc.port(), KANNEL.systemId(),
                    KANNEL.password(), traffic.window, pgsql ? "pgsql" : "internal", db == null ? null : db.name(),
                    database.dbUser, db == null ? 5432 : db.port());
                 Connection c = db == null ? null : db.connect();
                 SimPeer.Progress progress = new SimPeer.Progress(smsc.carrier(KANNEL.id()), traffic.messages)) {
                if (!smsc.awaitBound(KANNEL.id(), Duration.ofSeconds(30))) {
                    throw new IllegalStateException("Kannel did not bind to the SMSC");
                }
                Set<Long> backends = c == null ? Set.of() : ProcCpu.backends(c, db.name());
                ProcCpu.Delta pg = new ProcCpu.Delta(backends);
                long gw0 = ProcCpu.nanos(kannel.pids());
                    String sendsms = "http://127.0.0.1:" + kannel.sendsmsPort + "/cgi-bin/sendsms?username=bench&password="
                        + kannel.sendsmsPassword + "&from=dlrgate&dlr-mask=3&text=";
                long t0 = System.nanoTime();
                InputDriver.Result in = InputDriver.run(traffic.messages, traffic.concurrency, i -> {
                    String number = prefix + String.format(Locale.ROOT, "%06d", i);
                    String dlrUrl = "http://127.0.0.1:" + receiver.port() + "/dlr?ref=" + number + "&type=%d";
                    return HttpRequest.newBuilder(URI.create(sendsms + "bench+message+" + i + "&to=%2B" + number
                                    + "&dlr-url=" + URLEncoder.encode(dlrUrl, StandardCharsets.UTF_8)))
                            .timeout(Duration.ofSeconds(60)).build();
                });
                long deadline = t0 + TimeUnit.SECONDS.toNanos(maxSeconds);
                boolean done = progress.await(deadline);
                Map<String, String> ledger = smsc.finals(KANNEL.id(), prefix);
                long expectFinals = ledger.values().stream().filter(v -> !v.equals("(none)")).count();
                while (receiver.finals.size() < expectFinals && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                long gw = ProcCpu.nanos(kannel.pids()) - gw0;
                long pgNanos = c == null ? 0 : pg.since(ProcCpu.backends(c, db.name()));
                    System.out.println((done ? "settled: " : "TIMED OUT: ") + progress.describe() + "; final reports "
                        + receiver.finals.size() + (in.refused() > 0 ? "; input refused " + in.refused() + ": "
                        + in.firstRefusal() : ""));
                long lost = 0;
                long wrong = 0;
                for (Map.Entry<String, String> e : ledger.entrySet()) {
                    Integer type = receiver.finals.get(e.getKey());
                    if (e.getValue().equals("(none)")) {
                        continue;
                    }
                    if (type == null) {
                        lost++;
                    } else if ((type & 1) != 0 != e.getValue().equals("DELIVRD")) {
                        wrong++;
                    }
                }
                long unmatched = receiver.finals.keySet().stream().filter(n -> !ledger.containsKey(n)).count()
                        + receiver.duplicates.get();
                String extra = "";
                if (c != null) {
                    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select count(*) from dlr")) {
                        rs.next();
                        extra = rs.getLong(1) + " DLR mappings left";
                    }
                }
                System.out.printf(Locale.ROOT, "reports vs ledger: %,d in the ledger, %,d final reports; lost %d, "
                                + "wrong %d, unmatched or duplicate %d%s%n", ledger.size(), receiver.finals.size(), lost,
                        wrong, unmatched, extra.isEmpty() ? "" : "; " + extra);
                return new Phase(system, round, in.seconds(), in.accepted(),
                        (progress.allSubmittedNanos - progress.firstSubmitNanos) / 1e9, progress.submits(),
                        (progress.lastAckNanos - progress.firstAckNanos) / 1e9, progress.acknowledged(),
                        (receiver.lastFinalNanos - t0) / 1e9, receiver.finals.size(), lost + wrong, unmatched, extra,
                        gw, pgNanos, load0 + " -> " + HeapMonitor.loadAverage());
            }
        }
    }

    private void stopDlrgate() {
        if (dlrgate != null) {
            dlrgate.close();
            dlrgate = null;
        }
        if (dlrgateDb != null) {
            dlrgateDb.close();
            dlrgateDb = null;
        }
    }

    private void print(List<Phase> phases) {
        List<String> cols = phases.stream().map(p -> (rounds > 1 ? "r" + p.round() + " " : "") + p.system()).toList();
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench kannel: %,d messages per phase, "
                + "one transceiver session, window %d, the simulator's SMSC role", traffic.messages, traffic.window), cols);
        t.row("input accepted/s (dlrgate: " + traffic.input + ")", col(phases, p -> FiguresTable.num(p.accepted() / p.inputSeconds())));
        t.row("submit_sm/s (first -> last at the SMSC)", col(phases, p -> FiguresTable.num(p.submits() / p.submitSeconds())));
        t.row("receipts acknowledged/s (first -> last)", col(phases, p -> FiguresTable.num(p.acked() / p.ackSeconds())));
        t.row("first send -> last final report", col(phases, p -> FiguresTable.dec(p.endToEndSeconds(), 2) + " s"));
        t.row("final reports / submit_sm / receipts acked", col(phases, p -> p.finals() + " / " + p.submits() + " / " + p.acked()));
        t.row("lost / unmatched", col(phases, p -> p.lost() + " / " + p.unmatched()));
        t.row("CPU per message: gateway processes", col(phases, p -> ms(p.gatewayCpuNanos())));
        t.row("CPU per message: its PostgreSQL backends", col(phases, p -> ms(p.postgresCpuNanos())));
        t.row("CPU per message: gateway + backends", col(phases, p -> ms(p.gatewayCpuNanos() + p.postgresCpuNanos())));
        t.row("notes", col(phases, Phase::extra));
        t.row("load avg 1m (start -> end)", col(phases, Phase::load));
        t.print(System.out);
        System.out.println("dlrgate: " + (traffic.input.equals("single") ? "POST /api/v1/messages, one message per request"
                : "campaign sends of " + traffic.chunk + " contacts") + "; receipts stored before they are "
                + "acknowledged, so its last acknowledgement is its last final report. Kannel: smsbox sendsms, one "
                + "message per request, dlr-mask 3, final reports counted at the dlr-url; it refuses the "
                + "ENROUTE receipts it was not asked for (0x0A), which dlrgate stores, so dlrgate acknowledges ~10% more "
                + "receipts. CPU from /proc (10 ms "
                + "ticks): the gateway's processes (dlrgate's JVM; bearerbox + smsbox) and the PostgreSQL backends "
                + "connected to its database (PostgreSQL's WAL writer and checkpointer, shared with other users of the "
                + "server, are not counted for either). The SMSC, input and DLR receiver run in this JVM and are not counted.");
    }

    private String ms(long nanos) {
        return FiguresTable.dec(nanos / 1e6 / traffic.messages, 3) + " ms";
    }

    private static String[] col(List<Phase> phases, java.util.function.Function<Phase, String> f) {
        return phases.stream().map(f).toArray(String[]::new);
    }

    /** dlrgate in a JVM of its own ({@link ChildGateway}), stopped by closing its standard input. */
    static final class GatewayProcess implements AutoCloseable {
        final Process process;
        final int httpPort;
        final int smppPort;

        private GatewayProcess(Process process, int httpPort, int smppPort) {
            this.process = process;
            this.httpPort = httpPort;
            this.smppPort = smppPort;
        }

        static GatewayProcess start(Path config, List<String> jvmOptions, Path log) throws Exception {
            List<String> cmd = new ArrayList<>();
            cmd.add(ProcessHandle.current().info().command().orElse("java"));
            cmd.addAll(jvmOptions);
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(ChildGateway.class.getName());
            cmd.add(config.toString());
            Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line;
            int smppPort = -1;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(ChildGateway.SMPP)) {
                    smppPort = Integer.parseInt(line.substring(ChildGateway.SMPP.length()).trim());
                } else if (line.startsWith(ChildGateway.READY)) {
                    int port = Integer.parseInt(line.substring(ChildGateway.READY.length()).trim());
                    Thread drain = new Thread(() -> {
                        try {
                            while (out.readLine() != null) {
                                // the gateway's log goes to its stdout: drained, so it never blocks on a full pipe
                            }
                        } catch (java.io.IOException e) {
                            // ended
                        }
                    }, "gateway-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return new GatewayProcess(p, port, smppPort);
                }
            }
            p.destroyForcibly();
            throw new IllegalStateException("dlrgate's process ended before serving (exit " + p.waitFor() + "); see "
                    + log);
        }

        @Override
        public void close() {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (Exception e) {
                process.destroyForcibly();
            }
        }
    }
}
