package io.dlrgate.gateway.webhooks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.WebhooksConfig;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.ReceiptFixtures;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import io.dlrgate.reporting.testing.TestDatabase;
import io.dlrgate.reporting.webhooks.Outbox;
import io.dlrgate.reporting.webhooks.OutboxLanes;
import io.dlrgate.reporting.webhooks.OutboxLanes.Pending;
import io.dlrgate.reporting.webhooks.WebhookEndpointStore;
import io.dlrgate.reporting.webhooks.WebhookEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery yields to saturated receipt intake: the events wait in the outbox and go once intake calms down, or once
 * they waited {@code webhooks.yield_to_intake} if it never does. Whether intake is saturated is the test's say in
 * most tests here ({@link IntakePressureTest} covers how the gateway decides it); the outbox, the worker and the
 * receiver are real. One test runs a whole gateway with real SMPP sessions, and the gateway decides.
 */
class WebhookYieldTest {

    static final String SECRET = "yield-test-secret-0123456789";
    static final int EVENTS = 20;

    TestDatabase db;
    DataSource ds;
    WebhookEndpointStore endpoints;
    WebhookReceiver receiver;
    Vertx vertx;
    WebhookWorker worker;
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final AtomicBoolean saturated = new AtomicBoolean(true);

    @BeforeEach
    void up() throws Exception {
        db = TestDatabase.create();
        ds = db.database().dataSource();
        endpoints = new WebhookEndpointStore(ds, Clock.systemUTC(), new Outbox());
        receiver = WebhookReceiver.start(0, 17);
        receiver.secret(SECRET);
        endpoints.create(receiver.url(), List.of("message.queued"), null, SECRET, true);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void down() throws Exception {
        if (worker != null) {
            worker.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        receiver.close();
        db.close();
    }

    void start(Duration yieldToIntake) {
        WebhooksConfig cfg = new WebhooksConfig(true, true, 100, Duration.ofSeconds(2), Duration.ofMillis(50),
                Duration.ofHours(1), 4, yieldToIntake);
        worker = new WebhookWorker(vertx, cfg, endpoints, new OutboxLanes(ds), Clock.systemUTC(), registry,
                now -> saturated.get());
        worker.start();
    }

    /** {@link #EVENTS} events, as a group commit would write them. */
    void write() throws Exception {
        write(EVENTS);
    }

    void write(int n) throws Exception {
        List<WebhookEvent> events = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            events.add(WebhookEvent.queued(i, null, "+44770090" + (1000 + i), Instant.now()));
        }
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            endpoints.outbox().write(c, events);
            c.commit();
        }
    }

    double yielding() {
        return registry.get("dlrgate_webhook_yielding").gauge().value();
    }

    double yieldedSeconds() {
        return registry.get("dlrgate_webhook_yield_seconds").counter().count();
    }

    @Test
    void eventsWaitWhileIntakeIsSaturatedAndGoOnceItCalmsDown() throws Exception {
        start(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> yielding() == 1.0);
        write();
        double before = yieldedSeconds();
        // Two more decisions to yield, each after a look for events past the bound, with the events in the outbox.
        await().atMost(Duration.ofSeconds(30)).until(() -> yieldedSeconds() >= before + 2);
        assertEquals(0, receiver.accepted().size(), "nothing sent while intake is saturated");
        assertEquals(EVENTS, db.count("select count(*) from webhook_events where delivered_at is null"),
                "waiting in the outbox");

        saturated.set(false);
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.acceptedIds().size() == EVENTS);
        assertEquals(0.0, yielding());
        assertEquals(0, receiver.badSignatures());
    }

    @Test
    void aSustainedPeakStillDeliversEachEventOnceItWaitedTheBound() throws Exception {
        start(Duration.ofSeconds(1));
        await().atMost(Duration.ofSeconds(30)).until(() -> yielding() == 1.0);
        write();
        // Marked delivered once the receiver's answer is in: after it has them all.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                db.count("select count(*) from webhook_events where delivered_at is null") == 0);
        assertEquals(EVENTS, receiver.acceptedIds().size());
        assertEquals(1.0, yielding(), "still yielding: sent because they waited yield_to_intake");
        assertEquals(0, db.count("select count(*) from webhook_events "
                + "where delivered_at < enqueued_at + interval '1 second'"), "none sent before it waited the bound");
    }

    @Test
    void aZeroBoundNeverYields() throws Exception {
        start(Duration.ZERO);
        write();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.acceptedIds().size() == EVENTS);
        assertEquals(0.0, yielding());
        assertEquals(0.0, yieldedSeconds());
    }

    /**
     * A peak that begins while delivery drains a backlog: the lanes go straight on from batch to batch, and with 64
     * lanes, one event a request and a receiver that answers at once (204, nothing read), their answers come faster
     * than the worker stores them, so one is always waiting. The worker must still look at intake once a second: it
     * once handled answers until the backlog was gone, and yielded only then.
     */
    @Test
    void aPeakThatBeginsDuringADrainStopsItWithinALook() throws Exception {
        int events = 5_000;
        write(events);
        AtomicLong received = new AtomicLong();
        HttpServer fast = vertx.createHttpServer().requestHandler(req -> {
            String ids = req.getHeader("Dlrgate-Event-Ids");
            received.addAndGet(ids == null ? 0 : ids.split(",").length);
            req.response().setStatusCode(204).end();
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        long id = endpoints.list().get(0).id();
        endpoints.update(id, "http://127.0.0.1:" + fast.actualPort() + "/fast", List.of("message.queued"), null, null,
                true);
        WebhooksConfig cfg = new WebhooksConfig(true, true, 1, Duration.ofSeconds(2), Duration.ofMillis(50),
                Duration.ofHours(1), 64, Duration.ofSeconds(60));
        // The peak begins once the receiver has the first 500.
        worker = new WebhookWorker(vertx, cfg, endpoints, new OutboxLanes(ds), Clock.systemUTC(), registry,
                now -> received.get() >= 500);
        worker.start();
        await().atMost(Duration.ofSeconds(120)).until(() -> yielding() == 1.0
                || db.count("select count(*) from webhook_events where delivered_at is null") == 0);
        assertEquals(1.0, yielding(), "yielded while the backlog was still there");
        long waiting = db.count("select count(*) from webhook_events where delivered_at is null");
        assertTrue(waiting > 0, "events held back once intake was saturated: " + waiting);
    }

    /**
     * A peak the writers are not busy with: 4 sessions keep 400 receipts in flight, and with a 500 ms batch delay each
     * batch takes the 200 or so that piled up in its lane meanwhile, written in a few ms. So the gateway sees a CPU-bound
     * peak on any machine: large batches, writers idle most of the time (the rule that watched only the writers never
     * yielded here). Delivery yields during the stream, and every event still arrives, after it.
     */
    @Test
    void aPeakOfLargeBatchesOnRealSessionsMakesDeliveryWaitAndDrainAfter() throws Exception {
        int messages = 3_000;
        try (GatewayHarness gw = GatewayHarness.start(PEAK)) {
            HttpResponse<String> created = gw.post("/api/v1/webhooks", new JsonObject().put("url", receiver.url())
                    .put("events", new JsonArray(List.of("message.tab_changed", "message.final")))
                    .put("secret", SECRET).encode());
            assertEquals(201, created.statusCode(), created.body());
            long endpoint = new JsonObject(created.body()).getLong("id");
            try (Connection c = gw.db().database().connection()) {
                long campaign = ReceiptFixtures.seedCampaign(c, "Yield peak");
                ReceiptFixtures.seedSubmittedMessages(c, campaign, "acme", "pk", messages);
            }
            try (ReceiptStreamer streamer = ReceiptStreamer.to(gw.smppPort()).systemId("acme").password("acme-pw")
                    .sessions(4).window(100).requestTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(100))
                    .start(ReceiptFixtures.receipts("pk", messages))) {
                assertTrue(streamer.awaitDone(Duration.ofSeconds(120)), streamer.figures());
                assertEquals(messages, streamer.ackedOkCount(), streamer.figures());
            }
            MeterRegistry metrics = gw.gateway().registry();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                try (Connection c = gw.db().database().connection()) {
                    return WebhookOutboxReads.undelivered(c) == 0;
                }
            });
            assertTrue(metrics.get("dlrgate_webhook_yield_seconds").counter().count() > 0,
                    "delivery yielded to the peak");
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    metrics.get("dlrgate_webhook_yielding").gauge().value() == 0.0);
            Set<String> written;
            try (Connection c = gw.db().database().connection()) {
                written = WebhookOutboxReads.allEventIds(c, endpoint);
            }
            assertEquals(messages, WebhookOutboxReads.finalsReceived(receiver.accepted()).size(),
                    "every final state reached the receiver");
            assertEquals(written, receiver.acceptedIds(), "every event written was delivered, none lost");
            assertEquals(0, receiver.badSignatures());
        }
    }

    /** The delivery tests' carrier and webhooks (yield_to_intake at its default, 60 s), with a long batch delay. */
    static final String PEAK = WebhookDeliveryTest.CARRIER + "receipts:\n  max_batch_delay: 500ms\n";

    @Test
    void aBatchIsCutBeforeItsFirstEventTooYoungSoOrderHolds() {
        Instant t = Instant.parse("2026-12-07T10:00:00Z");
        List<Pending> batch = List.of(pending(1, t), pending(2, t.plusSeconds(2)), pending(3, t));
        assertEquals(List.of(1L), WebhookWorker.enqueuedBy(batch, t.plusSeconds(1)).stream().map(Pending::rowId)
                .toList(), "row 3 is old enough but comes after row 2, which is not");
        assertEquals(3, WebhookWorker.enqueuedBy(batch, null).size(), "not yielding: all of it");
        assertTrue(WebhookWorker.enqueuedBy(batch, t.minusSeconds(1)).isEmpty());
    }

    static Pending pending(long row, Instant enqueued) {
        return new Pending(row, java.util.UUID.randomUUID(), "message.queued", enqueued, enqueued, row, null,
                "+447700900001", "pending", null, null, null, null, null);
    }
}
