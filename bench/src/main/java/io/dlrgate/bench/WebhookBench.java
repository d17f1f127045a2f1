package io.dlrgate.bench;

import io.dlrgate.config.GatewayConfig;
import io.dlrgate.config.WebhooksConfig;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code dlrgate bench webhooks}: what webhooks cost on the receipt hot path, and whether delivery keeps up. The
 * durable receipt run of {@code bench receipts} against gateways started alternately with a webhook endpoint
 * enabled (subscribed to {@code message.final}: one event per receipt, written in the group commit's transaction and
 * pushed to a receiver in this JVM on 127.0.0.1 that answers 204) and with none (the writers then build no event at
 * all), and with the endpoint enabled but its delivery held (every lane's next attempt put off) until the receipts
 * are in, then released and drained alone. Rounds of off, on, held (mirrored every other round); then one phase with
 * webhooks on at a fixed offered rate. Each "on" phase ends when the receiver has every event: events delivered/s
 * count from the phase's start to the last event.
 *
 * <p>What the cost is made of: every phase measures its CPU (this JVM's threads: the gateway, the load generator and
 * the receiver; and PostgreSQL's processes) per receipt. "held" minus "off" is the outbox write in the group commit;
 * the held phase's drain, alone on the machine, is the delivery (claim, read, JSON, HMAC, HTTP both sides, marking
 * delivered) per event; "on" pays both at once, on the same cores.
 *
 * <p>The gateways run with {@code webhooks.yield_to_intake} at {@code --yield-seconds} (default 60; 0: never): while
 * receipt intake is saturated, delivery waits, so an "on" phase's events mostly go after its last receipt. Each phase
 * prints how long delivery yielded, and how long after the last receipt the last event arrived.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "Cost of webhooks on receipt intake and delivery speed: durable receipts/s with a webhook "
                + "endpoint on vs off (phases off, on, on, off, ...), events delivered/s, and a phase at a fixed rate.")
public final class WebhookBench implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "5000", description = "receipts/s offered in the last phase, webhooks on; 0: none (default ${DEFAULT-VALUE})")
    double rate;

    @Option(names = "--yield-seconds", defaultValue = "60", description = "webhooks.yield_to_intake in seconds: how "
            + "long delivery may hold events back while receipt intake is saturated; 0: never (default ${DEFAULT-VALUE})")
    int yieldSeconds;

    @Mixin
    ReceiptPhaseOptions receipts = new ReceiptPhaseOptions();

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    /** What a phase does with webhooks. */
    enum Mode {
        OFF("webhooks off"), ON("webhooks on"), HELD("outbox only, then drained");

        final String label;

        Mode(String label) {
            this.label = label;
        }
    }

    /**
     * @param cpu       CPU from the measured send's start until its receipts are in (and, for ON, its events
     *                  delivered)
     * @param intakeCpu CPU from the measured send's start until its last receipt was acknowledged: for ON, what
     *                  delivery took from intake while receipts came in
     * @param drainCpu  HELD only: CPU of delivering the held events alone
     */
    record Phase(String name, Mode mode, ReceiptSender.Result result, long events, double eventSeconds,
                 double drainSeconds, CpuMonitor.Figures cpu, CpuMonitor.Figures intakeCpu,
                 CpuMonitor.Figures drainCpu, double yieldedSeconds) {
        boolean webhooks() {
            return mode != Mode.OFF;
        }

        double eventRate() {
            return eventSeconds <= 0 ? 0 : events / eventSeconds;
        }

        double ackRate() {
            return result.ackRate();
        }

        /** All CPU (JVM and PostgreSQL) per receipt, µs. */
        double cpuPerReceipt() {
            return cpu.totalNanos() / 1e3 / Math.max(1, result.acknowledged());
        }

        /** All CPU (JVM and PostgreSQL) per receipt until the last receipt, µs. */
        double intakeCpuPerReceipt() {
            return intakeCpu.totalNanos() / 1e3 / Math.max(1, result.acknowledged());
        }

        /** This JVM's CPU per receipt until the last receipt, µs (PostgreSQL's is shared with other databases). */
        double intakeJvmCpuPerReceipt() {
            return (intakeCpu.totalNanos() - Math.max(0, intakeCpu.postgresNanos())) / 1e3
                    / Math.max(1, result.acknowledged());
        }

        /** HELD: all CPU per event delivered alone, µs. */
        double cpuPerEventDrained() {
            return drainCpu == null ? 0 : drainCpu.totalNanos() / 1e3 / Math.max(1, events);
        }
    }

    /** The customer's app: counts the events of every request (Dlrgate-Event-Ids) and answers 204. */
    static final class Receiver implements AutoCloseable {
        final Vertx vertx = Vertx.vertx();
        final AtomicLong events = new AtomicLong();
        final AtomicLong requests = new AtomicLong();
        final AtomicLong lastNanos = new AtomicLong();
        final HttpServer server;

        Receiver() throws Exception {
            server = vertx.createHttpServer().requestHandler(req -> req.body().onComplete(b -> {
                String ids = req.getHeader("Dlrgate-Event-Ids");
                if (ids != null && !ids.isEmpty()) {
                    events.addAndGet(ids.chars().filter(c -> c == ',').count() + 1);
                }
                requests.incrementAndGet();
                lastNanos.set(System.nanoTime());
                req.response().setStatusCode(204).end();
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        String url() {
            return "http://127.0.0.1:" + server.actualPort() + "/dlrgate";
        }

        @Override
        public void close() {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).join();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!receipts.valid() || rate < 0 || yieldSeconds < 0 || yieldSeconds > 3600) {
            throw new IllegalArgumentException("need --messages >= 1, --pairs >= 1, --sessions 1..50, --window >= 1, "
                    + "--warmup >= 0, --rate >= 0, --yield-seconds 0..3600");
        }
        int phases = receipts.pairs * 3 + (rate > 0 ? 1 : 0);
        long perPhase = receipts.perPhase();
        long total = perPhase * phases;
        System.out.printf(Locale.ROOT, "bench webhooks: %d phases of %,d receipts (+%,d warm-up), K=%d sessions x "
                        + "window %d; JVM %s, %d CPUs%n", phases, receipts.messages, receipts.warmup, receipts.sessions,
                receipts.window, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<Phase> done = new ArrayList<>();
        try (BenchDatabase db = database.open("webhooks"); Receiver receiver = new Receiver()) {
            System.out.println("database: " + db.describe() + "; receiver " + receiver.url());
            GatewayConfig base = BenchGateway.config(db, List.of(BenchGateway.receiptCarrier(receipts.sessions)),
                    database.poolSize);
            GatewayConfig cfg = new GatewayConfig(base.smpp(), base.http(), base.database(), base.dispatch(),
                    base.receipts(), base.expiry(), base.carriers(), base.auth(), base.bounces(), base.send(),
                    WebhooksConfig.defaults().allowingLocal().yieldingToIntake(Duration.ofSeconds(yieldSeconds)));
            seeded(db, cfg, total, receiver.url());
            Mode[] round = {Mode.OFF, Mode.ON, Mode.HELD};
            for (int p = 0; p < phases; p++) {
                boolean fixedRate = p == receipts.pairs * 3;
                // off, on, held, held, on, off, ... then the fixed rate
                Mode mode = fixedRate ? Mode.ON : (p / 3) % 2 == 0 ? round[p % 3] : round[2 - p % 3];
                Phase phase = run(db, cfg, receiver, mode, fixedRate ? rate : 0, 1 + p * perPhase,
                        (fixedRate ? "at " + FiguresTable.num(rate) + "/s, " : "") + mode.label);
                done.add(phase);
                System.out.println("phase " + (p + 1) + ", " + phase.name() + ": " + ReceiptsBench.describe(phase.result())
                        + (mode != Mode.OFF ? String.format(Locale.ROOT, "; %,d events delivered in %.2f s = %,.0f/s, "
                        + "drained %.2f s after the last receipt, delivery yielded to intake %.1f s", phase.events(),
                        phase.eventSeconds(), phase.eventRate(), phase.drainSeconds(), phase.yieldedSeconds()) : "")
                        + String.format(Locale.ROOT, "; CPU per receipt %.0f µs", phase.cpuPerReceipt())
                        + (mode == Mode.HELD ? String.format(Locale.ROOT, ", per event drained alone %.0f µs",
                        phase.cpuPerEventDrained()) : "") + "; load " + loadAverage());
            }
        }
        print(done);
        boolean ok = done.stream().allMatch(p -> p.result().unfinished() == 0 && p.result().refused() == 0
                && (!p.webhooks() || p.events() >= p.result().acknowledged()));
        return ok ? 0 : 1;
    }

    /** One gateway (the endpoint enabled or not before it starts), one warm-up, one measured run. */
    private Phase run(BenchDatabase db, GatewayConfig cfg, Receiver receiver, Mode mode, double offered,
                      long firstId, String name) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("update webhook_endpoints set enabled = " + (mode != Mode.OFF));
        }
        Gateway gateway = Gateway.start(cfg, Clock.systemUTC(), true);
        try (ReceiptSender sender = new ReceiptSender(receipts.sessions, receipts.window)) {
            sender.bind(gateway.smppPort(), BenchGateway.RECEIPT_SYSTEM_ID, BenchGateway.RECEIPT_PASSWORD);
            if (receipts.warmup > 0) {
                sender.send(firstId + receipts.messages, receipts.warmup, 0, receipts.maxSeconds * 1000);
            }
            awaitDrained(db, receiver);
            if (mode == Mode.HELD) {
                hold(db, true); // the worker claims no lane until released
            }
            long eventsBefore = receiver.events.get();
            double yieldedBefore = yielded(gateway);
            CpuMonitor cpu = new CpuMonitor();
            cpu.start();
            long t0 = System.nanoTime();
            ReceiptSender.Result r = sender.send(firstId, receipts.messages, offered, receipts.maxSeconds * 1000);
            long receiptsDone = System.nanoTime();
            if (mode == Mode.OFF) {
                CpuMonitor.Figures intake = cpu.stop();
                return new Phase(name, mode, r, 0, 0, 0, intake, intake, null, 0);
            }
            if (mode == Mode.HELD) {
                CpuMonitor.Figures intake = cpu.stop();
                CpuMonitor drain = new CpuMonitor();
                drain.start();
                long released = System.nanoTime();
                hold(db, false);
                awaitDrained(db, receiver, eventsBefore, r.acknowledged());
                CpuMonitor.Figures drained = drain.stop();
                long events = receiver.events.get() - eventsBefore;
                return new Phase(name, mode, r, events, (receiver.lastNanos.get() - released) / 1e9, 0, intake,
                        intake, drained, yielded(gateway) - yieldedBefore);
            }
            CpuMonitor.Figures intake = cpu.lap();
            awaitDrained(db, receiver, eventsBefore, r.acknowledged());
            CpuMonitor.Figures all = cpu.stop();
            long events = receiver.events.get() - eventsBefore;
            long last = receiver.lastNanos.get();
            return new Phase(name, mode, r, events, (last - t0) / 1e9, Math.max(0, (last - receiptsDone) / 1e9), all,
                    intake, null, yielded(gateway) - yieldedBefore);
        } finally {
            gateway.close();
        }
    }

    /** Seconds the gateway's webhook delivery has yielded to receipt intake so far. */
    private static double yielded(Gateway gateway) {
        io.micrometer.core.instrument.Counter c = gateway.registry().find("dlrgate_webhook_yield_seconds").counter();
        return c == null ? 0 : c.count();
    }

    /** Holds (or releases) every lane: a lane whose next attempt is to come is claimed by no worker. */
    private static void hold(BenchDatabase db, boolean held) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("update webhook_lanes set next_attempt_at = "
                    + (held ? "now() + interval '1 day'" : "null"));
        }
    }

    private static String loadAverage() {
        double l = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return l < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f", l);
    }

    /** Until the outbox holds nothing undelivered (bounded by --max-seconds). */
    private void awaitDrained(BenchDatabase db, Receiver receiver) throws Exception {
        awaitDrained(db, receiver, 0, 0);
    }

    /**
     * Until the outbox holds nothing undelivered (bounded by --max-seconds). While the receiver has counted fewer
     * than {@code expected} events since {@code eventsBefore}, the outbox is asked only twice a second: counting a
     * backlog of 60,000 rows takes PostgreSQL a few ms, which every 20 ms would add a tenth of a core to the
     * delivery being measured.
     */
    private void awaitDrained(BenchDatabase db, Receiver receiver, long eventsBefore, long expected)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(receipts.maxSeconds);
        long nextAsk = 0;
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from webhook_events where delivered_at is null and dead_at is null")) {
            while (System.nanoTime() < deadline) {
                boolean allCounted = receiver.events.get() - eventsBefore >= expected;
                if (allCounted || System.nanoTime() - nextAsk >= 0) {
                    nextAsk = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == 0) {
                            return;
                        }
                    }
                }
                Thread.sleep(allCounted ? 20 : 5);
            }
        }
        throw new IllegalStateException("webhook events still undelivered after " + receipts.maxSeconds + " s");
    }

    /** Messages 1..total, submitted (as in bench metrics), and one endpoint subscribed to message.final. */
    private static void seeded(BenchDatabase db, GatewayConfig cfg, long total, String url) throws Exception {
        try (Gateway schema = Gateway.start(cfg, Clock.systemUTC(), false)) { // creates the schema
            // Disabled until a phase enables it: written as the API would (WebhookEndpointStore), not by hand.
            new WebhookEndpointStore(schema.database().dataSource(), Clock.systemUTC(), new Outbox())
                    .create(url, List.of("message.final"), null, "bench-secret-0123456789", false);
        }
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            BenchGateway.insertReceiptMessages(c, total);
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("analyze messages");
            }
        }
    }

    private void print(List<Phase> phases) {
        List<String> columns = new ArrayList<>();
        for (int i = 0; i < phases.size(); i++) {
            columns.add((i + 1) + ": " + phases.get(i).name());
        }
        FiguresTable t = new FiguresTable(String.format(Locale.ROOT, "dlrgate bench webhooks: durable receipts with a "
                + "webhook endpoint (message.final) on vs off, K=%d sessions x window %d, %,d receipts per phase",
                receipts.sessions, receipts.window, receipts.messages), columns);
        t.row("receipts/s acknowledged (durable)", cells(phases, p -> FiguresTable.num(p.result().ackRate())));
        t.row("events delivered/s (held: drained alone)", cells(phases, p -> p.webhooks()
                ? FiguresTable.num(p.eventRate()) : "-"));
        t.row("events delivered", cells(phases, p -> p.webhooks() ? String.valueOf(p.events()) : "-"));
        t.row("last event after the last receipt", cells(phases, p -> p.webhooks()
                ? FiguresTable.dec(p.drainSeconds(), 2) + " s" : "-"));
        t.row("delivery yielded to intake (s)", cells(phases, p -> p.webhooks()
                ? FiguresTable.dec(p.yieldedSeconds(), 1) : "-"));
        t.row("p50 / p99 send -> deliver_sm_resp", cells(phases, p -> FiguresTable.ms(p.result().p50Micros()) + " / "
                + FiguresTable.ms(p.result().p99Micros())));
        t.row("CPU per receipt, all (µs)", cells(phases, p -> FiguresTable.dec(p.cpuPerReceipt(), 0)));
        t.row("  until the last receipt: all / this JVM (µs)", cells(phases, p -> FiguresTable.dec(
                p.intakeCpuPerReceipt(), 0) + " / " + FiguresTable.dec(p.intakeJvmCpuPerReceipt(), 0)));
        t.row("  generator / gateway / other JVM / postgres", cells(phases, p -> p.cpu().perItem(
                p.result().acknowledged())));
        t.row("CPU per event drained alone (µs)", cells(phases, p -> p.drainCpu() == null ? "-"
                : FiguresTable.dec(p.cpuPerEventDrained(), 0)));
        t.row("  generator / gateway / other JVM / postgres", cells(phases, p -> p.drainCpu() == null ? "-"
                : p.drainCpu().perItem(p.events())));
        t.row("throttled / refused / unfinished", cells(phases, p -> p.result().throttled() + " / "
                + p.result().refused() + " / " + p.result().unfinished()));
        t.print(System.out);
        double on = mean(phases, Mode.ON, Phase::ackRate);
        double off = mean(phases, Mode.OFF, Phase::ackRate);
        double held = mean(phases, Mode.HELD, Phase::ackRate);
        System.out.printf(Locale.ROOT, "peak durable receipts/s, webhooks on vs off: %,.0f vs %,.0f = %s of the rate "
                + "without webhooks (aim: at least 85%%); outbox written, delivery held: %,.0f = %s%n", on, off,
                FiguresTable.pct(on / Math.max(1e-9, off)), held, FiguresTable.pct(held / Math.max(1e-9, off)));
        double cOff = mean(phases, Mode.OFF, Phase::cpuPerReceipt);
        double cOn = mean(phases, Mode.ON, Phase::cpuPerReceipt);
        double cHeld = mean(phases, Mode.HELD, Phase::cpuPerReceipt);
        double cDrain = mean(phases, Mode.HELD, Phase::cpuPerEventDrained);
        double iOff = mean(phases, Mode.OFF, Phase::intakeJvmCpuPerReceipt);
        double iOn = mean(phases, Mode.ON, Phase::intakeJvmCpuPerReceipt);
        System.out.printf(Locale.ROOT, "this JVM's CPU per receipt until the last receipt (PostgreSQL's left out: "
                + "other databases share it): off %.0f µs, on %.0f µs; CPU-bound, on/off throughput is about %s%n",
                iOff, iOn, FiguresTable.pct(iOff / Math.max(1e-9, iOn)));
        System.out.printf(Locale.ROOT, "CPU per receipt (all processes): off %.0f µs, on %.0f µs (+%.0f); of which "
                + "the outbox write (held - off) %.0f µs and the delivery of its event (drained alone) %.0f µs; "
                + "CPU-bound, on/off throughput is about off/on CPU = %s%n", cOff, cOn, cOn - cOff, cHeld - cOff,
                cDrain, FiguresTable.pct(cOff / Math.max(1e-9, cOn)));
        System.out.println("Each phase: a fresh in-process gateway on the same database (metrics on), " + receipts.warmup
                + " warm-up receipts, then the measured run; on = one enabled endpoint subscribed to message.final "
                + "(one event per receipt), its receiver in this JVM on 127.0.0.1; off = no endpoint enabled; "
                + "webhooks.yield_to_intake " + yieldSeconds + " s. The CPUs "
                + "are shared with the database, the senders and the receiver: compare the columns, not machines.");
    }

    /** The mean of a figure over the phases of a mode that ran at the peak (not the fixed-rate phase). */
    private static double mean(List<Phase> phases, Mode mode, java.util.function.ToDoubleFunction<Phase> f) {
        return phases.stream().filter(p -> p.mode() == mode && p.result().offeredRate() == 0).mapToDouble(f)
                .average().orElse(0);
    }

    private static String[] cells(List<Phase> phases, java.util.function.Function<Phase, String> f) {
        return phases.stream().map(f).toArray(String[]::new);
    }
}
