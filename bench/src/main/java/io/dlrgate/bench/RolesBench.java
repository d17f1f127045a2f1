package io.dlrgate.bench;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.gateway.app.Gateway;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench roles}: the client role (the gateway binds out to an SMSC) next to the server role (the
 * carrier binds in), alternating in one run. The peer is the simulator in both: the same simulated carrier, once
 * as an SMSC ({@code sim smsc}) and once binding in ({@code sim run}), in this JVM, so its cost is the same on both
 * sides and only the direction of the bind differs. Each phase: a fresh database and gateway, one transceiver
 * session, window 100, N messages through the HTTP API ({@link DlrgateInput}), every receipt stored before it is
 * acknowledged.
 */
@Command(name = "roles", mixinStandardHelpOptions = true,
        description = "Client role (binding out to the simulated SMSC) vs server role (the simulated carrier binds "
                + "in), alternating: submits/s, durable receipts/s, CPU per message and the client/server ratio.")
public final class RolesBench implements Callable<Integer> {

    @Option(names = "--rounds", defaultValue = "5", description = "rounds of both roles, server first in odd rounds "
            + "and client first in even ones; the first warms the JIT and is left out of the ratio when there are more "
            + "(default ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--max-seconds", defaultValue = "300", description = "time bound of each phase (default ${DEFAULT-VALUE})")
    long maxSeconds;

    @Mixin
    TrafficOptions traffic = new TrafficOptions();

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    enum Role { SERVER, CLIENT }

    /** The figures of one phase. */
    record Phase(Role role, int round, double inputSeconds, double submitsSeconds, double lastReceiptSeconds,
                 double receiptsSeconds, long submits, long receipts, double cpuMsPerMessage,
                 double postgresMsPerMessage, String reportVsLedger, String load) {
    }

    @Override
    public Integer call() throws Exception {
        traffic.check();
        if (rounds < 1 || rounds > 20) {
            throw new IllegalArgumentException("--rounds 1..20");
        }
        System.out.printf(Locale.ROOT, "bench roles: %,d messages per phase, %d round(s), window %d, JVM %s, %d CPUs%n",
                traffic.messages, rounds, traffic.window, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<Phase> phases = new ArrayList<>();
        for (int r = 1; r <= rounds; r++) {
            // ABBA: the JIT still gains from phase to phase, which would favour whichever role always came second
            Role first = r % 2 == 1 ? Role.SERVER : Role.CLIENT;
            phases.add(runPhase(first, r));
            phases.add(runPhase(first == Role.SERVER ? Role.CLIENT : Role.SERVER, r));
        }
        print(phases);
        return phases.stream().allMatch(p -> p.reportVsLedger().startsWith("equal")) ? 0 : 1;
    }

    private Phase runPhase(Role role, int round) throws Exception {
        System.out.printf(Locale.ROOT, "%n--- round %d: %s role ---%n", round, role.name().toLowerCase(Locale.ROOT));
        String load0 = HeapMonitor.loadAverage();
        SimPeer.Account account = new SimPeer.Account("sim", "simbench", "simpw");
        String prefix = "+4477" + round + (role == Role.SERVER ? "1" : "2");
        try (BenchDatabase db = database.open("roles" + round + role.name().toLowerCase(Locale.ROOT))) {
            SimPeer peer = null;
            Gateway gateway = null;
            try {
                String carrier;
                if (role == Role.CLIENT) {
                    peer = SimPeer.smsc(List.of(account), traffic.window, traffic.receiptDelay);
                    carrier = BenchGateway.connectCarrier("sim", prefix, peer.port(), account.systemId(),
                            account.password(), traffic.window);
                    gateway = BenchGateway.start(ConfigLoader.fromYaml(BenchGateway.yaml(db, carrier,
                            database.poolSize), "bench.yaml", Map.of()));
                } else {
                    carrier = BenchGateway.bindingCarrier("sim", prefix, account.systemId(), account.password(),
                            traffic.window);
                    gateway = BenchGateway.start(ConfigLoader.fromYaml(BenchGateway.yaml(db, carrier,
                            database.poolSize), "bench.yaml", Map.of()));
                    peer = SimPeer.carriers(List.of(account), traffic.window, traffic.receiptDelay, gateway.smppPort());
                }
                if (!peer.awaitBound("sim", Duration.ofSeconds(30))) {
                    throw new IllegalStateException("no bind between the gateway and the simulator");
                }
                long bindDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (gateway.smpp().sessions().submitCapable("sim").isEmpty()) {
                    if (System.nanoTime() > bindDeadline) {
                        throw new IllegalStateException("the gateway has no session to submit on");
                    }
                    Thread.sleep(10);
                }
                com.sun.management.OperatingSystemMXBean os =
                        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
                String base = "http://127.0.0.1:" + gateway.httpPort();
                try (SimPeer.Progress progress = new SimPeer.Progress(peer.carrier("sim"), traffic.messages)) {
                    long cpu0 = os.getProcessCpuTime();
                    long pg0 = CpuMonitor.postgresTicks();
                    long t0 = System.nanoTime();
                    InputDriver.Result in = traffic.sendToDlrgate(gateway.httpPort(),
                            DlrgateInput.numbers(prefix, traffic.messages));
                    if (in.refused() > 0) {
                        System.out.println("input refused " + in.refused() + ": " + in.firstRefusal());
                    }
                    boolean done = progress.await(t0 + TimeUnit.SECONDS.toNanos(maxSeconds));
                    long cpu = os.getProcessCpuTime() - cpu0;
                    long pg = CpuMonitor.postgresTicks() - pg0;
                    System.out.println((done ? "settled: " : "TIMED OUT: ") + progress.describe());
                    String check = compare(db, peer.finals("sim", prefix.substring(1)), prefix.substring(1));
                    System.out.println("reports vs ledger: " + check);
                    return new Phase(role, round, in.seconds(), (progress.allSubmittedNanos - t0) / 1e9,
                            (progress.lastAckNanos - t0) / 1e9,
                            (progress.lastAckNanos - progress.firstAckNanos) / 1e9, progress.submits(),
                            progress.acknowledged(), cpu / 1e6 / traffic.messages, pg * 10.0 / traffic.messages, check,
                            load0 + " -> " + HeapMonitor.loadAverage());
                }
            } finally {
                if (gateway != null) {
                    gateway.close();
                }
                if (peer != null) {
                    peer.close();
                }
            }
        }
    }

    /**
     * Compares the store with the simulator's ledger, number by number: every message the carrier accepted must be
     * (numbers starting with {@code prefix}, without '+') in the tab its final receipt says (DELIVRD: delivered, UNDELIV: hard-bounces, none: pending).
     */
    static String compare(BenchDatabase db, Map<String, String> ledgerFinals, String prefix) throws Exception {
        Map<String, String> tabs = new HashMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select recipient, tab from messages where recipient like '+"
                     + prefix.replaceAll("[^0-9]", "") + "%'")) {
            while (rs.next()) {
                String r = rs.getString(1);
                tabs.put(r.startsWith("+") ? r.substring(1) : r, rs.getString(2));
            }
        }
        long lost = 0;
        long wrong = 0;
        for (Map.Entry<String, String> e : ledgerFinals.entrySet()) {
            String tab = tabs.get(e.getKey());
            String want = switch (e.getValue()) {
                case "DELIVRD" -> "delivered";
                case "UNDELIV" -> "hard-bounces";
                default -> "pending";
            };
            if (tab == null) {
                lost++;
            } else if (!tab.equals(want)) {
                wrong++;
            }
        }
        long unmatched = tabs.keySet().stream().filter(n -> !ledgerFinals.containsKey(n)).count();
        return (lost == 0 && wrong == 0 && unmatched == 0 ? "equal" : "DIFFERENT")
                + String.format(Locale.ROOT, " (%,d in the ledger, %,d in the store; lost %d, wrong tab %d, "
                        + "not in the ledger %d)", ledgerFinals.size(), tabs.size(), lost, wrong, unmatched);
    }

    private void print(List<Phase> phases) {
        List<String> cols = phases.stream().map(p -> "r" + p.round() + " " + p.role().name().toLowerCase(Locale.ROOT))
                .toList();
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench roles: %,d messages per phase, "
                + "one transceiver session, window %d, receipts durable before acknowledged", traffic.messages, traffic.window), cols);
        t.row("submits/s (first API call -> last submit_sm)", col(phases, p -> FiguresTable.num(p.submits() / p.submitsSeconds())));
        t.row("durable receipts/s (first -> last ack)", col(phases, p -> FiguresTable.num(p.receipts() / p.receiptsSeconds())));
        t.row("end to end msg/s (first call -> last ack)", col(phases, p -> FiguresTable.num(traffic.messages / p.lastReceiptSeconds())));
        t.row("input accepted/s (" + traffic.input + ")", col(phases, p -> FiguresTable.num(traffic.messages / p.inputSeconds())));
        t.row("submit_sm / receipts acknowledged", col(phases, p -> FiguresTable.num(p.submits()) + " / " + FiguresTable.num(p.receipts())));
        t.row("CPU per message: this JVM (gateway+peer+input)", col(phases, p -> FiguresTable.dec(p.cpuMsPerMessage(), 3) + " ms"));
        t.row("CPU per message: all postgres processes", col(phases, p -> FiguresTable.dec(p.postgresMsPerMessage(), 3) + " ms"));
        t.row("reports vs ledger", col(phases, p -> p.reportVsLedger().startsWith("equal") ? "equal" : "DIFFERENT"));
        t.row("load avg 1m (start -> end)", col(phases, Phase::load));
        t.print(System.out);
        int from = rounds > 1 ? 2 : 1;
        double[] s = new double[2];
        double[] r = new double[2];
        for (Phase p : phases) {
            if (p.round() >= from) {
                int k = p.role().ordinal();
                s[k] += p.submits() / p.submitsSeconds();
                r[k] += p.receipts() / p.receiptsSeconds();
            }
        }
        System.out.printf(Locale.ROOT, "client/server ratio over rounds %d..%d (means): submits/s %.1f %%, durable "
                        + "receipts/s %.1f %% (aim: client role not more than 10%% slower, i.e. >= 90%%)%n", from,
                rounds, 100 * s[1] / s[0], 100 * r[1] / r[0]);
    }

    private static String[] col(List<Phase> phases, java.util.function.Function<Phase, String> f) {
        return phases.stream().map(f).toArray(String[]::new);
    }
}
