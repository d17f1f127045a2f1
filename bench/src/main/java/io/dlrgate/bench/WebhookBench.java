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
 * all), in the order off, on, on, off, ...; then one phase with webhooks on at a fixed offered rate. Each "on" phase
 * ends when the receiver has every event: events delivered/s count from the phase's start to the last event.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = "Cost of webhooks on receipt intake and delivery speed: durable receipts/s with a webhook "
                + "endpoint on vs off (phases off, on, on, off, ...), events delivered/s, and a phase at a fixed rate.")
public final class WebhookBench implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "5000", description = "receipts/s offered in the last phase, webhooks on; 0: none (default ${DEFAULT-VALUE})")
    double rate;

    @Mixin
    ReceiptPhaseOptions receipts = new ReceiptPhaseOptions();

    @Mixin
    BenchDatabaseOptions database = new BenchDatabaseOptions();

    record Phase(String name, boolean webhooks, ReceiptSender.Result result, long events, double eventSeconds,
                 double drainSeconds) {
        double eventRate() {
            return eventSeconds <= 0 ? 0 : events / eventSeconds;
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
        if (!receipts.valid() || rate < 0) {
            throw new IllegalArgumentException("need --messages >= 1, --pairs >= 1, --sessions 1..50, --window >= 1, "
                    + "--warmup >= 0, --rate >= 0");
        }
        int phases = receipts.pairs * 2 + (rate > 0 ? 1 : 0);
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
                    WebhooksConfig.defaults().allowingLocal());
            seeded(db, cfg, total, receiver.url());
            for (int p = 0; p < phases; p++) {
                boolean fixedRate = p == receipts.pairs * 2;
                boolean on = fixedRate || (p % 4 == 1 || p % 4 == 2); // off, on, on, off, ... then the fixed rate
                Phase phase = run(db, cfg, receiver, on, fixedRate ? rate : 0, 1 + p * perPhase,
                        (fixedRate ? "at " + FiguresTable.num(rate) + "/s, " : "") + (on ? "webhooks on" : "webhooks off"));
                done.add(phase);
                System.out.println("phase " + (p + 1) + ", " + phase.name() + ": " + ReceiptsBench.describe(phase.result())
                        + (on ? String.format(Locale.ROOT, "; %,d events delivered in %.2f s = %,.0f/s, drained %.2f s "
                        + "after the last receipt", phase.events(), phase.eventSeconds(), phase.eventRate(),
                        phase.drainSeconds()) : ""));
            }
        }
        print(done);
        boolean ok = done.stream().allMatch(p -> p.result().unfinished() == 0 && p.result().refused() == 0
                && (!p.webhooks() || p.events() >= p.result().acknowledged()));
        return ok ? 0 : 1;
    }

    /** One gateway (the endpoint enabled or not before it starts), one warm-up, one measured run. */
    private Phase run(BenchDatabase db, GatewayConfig cfg, Receiver receiver, boolean webhooks, double offered,
                      long firstId, String name) throws Exception {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.executeUpdate("update webhook_endpoints set enabled = " + webhooks);
        }
        Gateway gateway = Gateway.start(cfg, Clock.systemUTC(), true);
        try (ReceiptSender sender = new ReceiptSender(receipts.sessions, receipts.window)) {
            sender.bind(gateway.smppPort(), BenchGateway.RECEIPT_SYSTEM_ID, BenchGateway.RECEIPT_PASSWORD);
            if (receipts.warmup > 0) {
                sender.send(firstId + receipts.messages, receipts.warmup, 0, receipts.maxSeconds * 1000);
            }
            awaitDrained(db, receiver);
            long eventsBefore = receiver.events.get();
            long t0 = System.nanoTime();
            ReceiptSender.Result r = sender.send(firstId, receipts.messages, offered, receipts.maxSeconds * 1000);
            long receiptsDone = System.nanoTime();
            if (!webhooks) {
                return new Phase(name, false, r, 0, 0, 0);
            }
            awaitDrained(db, receiver);
            long events = receiver.events.get() - eventsBefore;
            long last = receiver.lastNanos.get();
            return new Phase(name, true, r, events, (last - t0) / 1e9, Math.max(0, (last - receiptsDone) / 1e9));
        } finally {
            gateway.close();
        }
    }

    /** Until the outbox holds nothing undelivered (bounded by --max-seconds). */
    private void awaitDrained(BenchDatabase db, Receiver receiver) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(receipts.maxSeconds);
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from webhook_events where delivered_at is null and dead_at is null")) {
            while (System.nanoTime() < deadline) {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) == 0) {
                        return;
                    }
                }
                Thread.sleep(20);
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
        t.row("events delivered/s", cells(phases, p -> p.webhooks() ? FiguresTable.num(p.eventRate()) : "-"));
        t.row("events delivered", cells(phases, p -> p.webhooks() ? String.valueOf(p.events()) : "-"));
        t.row("last event after the last receipt", cells(phases, p -> p.webhooks()
                ? FiguresTable.dec(p.drainSeconds(), 2) + " s" : "-"));
        t.row("p50 / p99 send -> deliver_sm_resp", cells(phases, p -> FiguresTable.ms(p.result().p50Micros()) + " / "
                + FiguresTable.ms(p.result().p99Micros())));
        t.row("throttled / refused / unfinished", cells(phases, p -> p.result().throttled() + " / "
                + p.result().refused() + " / " + p.result().unfinished()));
        t.print(System.out);
        double on = phases.stream().filter(p -> p.webhooks() && p.result().offeredRate() == 0)
                .mapToDouble(p -> p.result().ackRate()).average().orElse(0);
        double off = phases.stream().filter(p -> !p.webhooks()).mapToDouble(p -> p.result().ackRate()).average()
                .orElse(0);
        System.out.printf(Locale.ROOT, "peak durable receipts/s, webhooks on vs off: %,.0f vs %,.0f = %s of the rate "
                + "without webhooks (aim: at least 85%%)%n", on, off, FiguresTable.pct(on / Math.max(1e-9, off)));
        System.out.println("Each phase: a fresh in-process gateway on the same database (metrics on), " + receipts.warmup
                + " warm-up receipts, then the measured run; on = one enabled endpoint subscribed to message.final "
                + "(one event per receipt), its receiver in this JVM on 127.0.0.1; off = no endpoint enabled. The CPUs "
                + "are shared with the database, the senders and the receiver: compare the columns, not machines.");
    }

    private static String[] cells(List<Phase> phases, java.util.function.Function<Phase, String> f) {
        return phases.stream().map(f).toArray(String[]::new);
    }
}
