package io.dlrgate.gateway.webhooks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.ConfigLoader;
import io.dlrgate.gateway.app.Gateway;
import io.dlrgate.gateway.testing.ReceiptFixtures;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import io.dlrgate.gateway.testing.TcpProxy;
import io.dlrgate.reporting.testing.TestDatabase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The database goes away for a few seconds while receipts and webhook deliveries flow, and comes back: nothing is
 * lost. The gateway reaches PostgreSQL through a {@link TcpProxy} the test cuts; the test reads the store directly.
 * Receipts are answered with a temporary error while the store is away (never acknowledged unstored), the delivery
 * worker recovers by itself, and in the end every event of the outbox, every message's final state with it, has
 * reached the receiver.
 */
class WebhookDatabaseOutageTest {

    static final int MESSAGES = 3_000;
    static final String API_KEY = "outage-key-0123456789";

    TestDatabase db;
    TcpProxy proxy;
    Gateway gateway;
    WebhookReceiver receiver;
    ReceiptStreamer streamer;

    @AfterEach
    void tearDown() {
        if (streamer != null) {
            streamer.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void anOutageMidStreamLosesNoEvent() throws Exception {
        db = TestDatabase.create();
        proxy = TcpProxy.inFrontOf(db.url());
        long campaign;
        try (Connection c = db.database().connection()) {
            campaign = ReceiptFixtures.seedCampaign(c, "Webhook outage");
            ReceiptFixtures.seedSubmittedMessages(c, campaign, "acme", "wo", MESSAGES);
        }
        String yaml = "smpp:\n  host: 127.0.0.1\n  port: 0\n"
                + "http:\n  host: 127.0.0.1\n  port: 0\n  api_key: " + API_KEY + "\n"
                + "database:\n  url: \"" + proxy.jdbcUrl(db.url()) + "\"\n  pool_size: 8\n"
                + "receipts:\n  batch_size: 100\n  max_queue_wait: 500ms\n"
                + """
                carriers:
                  - id: acme
                    system_id: acme
                    password: acme-pw
                    prefixes: ["+44"]
                    max_binds: 8
                webhooks:
                  allow_http: true
                  allow_private: true
                  retry_initial: 50ms
                  timeout: 2s
                  # The outage must land while receipts and events both flow: yielding to a busy intake (on by
                  # default) would hold the events back until the receipts are in.
                  yield_to_intake: 0s
                """;
        gateway = Gateway.start(ConfigLoader.fromYaml(yaml, "webhook-outage.yaml", Map.of()), Clock.systemUTC());
        receiver = WebhookReceiver.start(0, 1);
        long endpoint = createEndpoint();

        streamer = ReceiptStreamer.to(gateway.smppPort()).systemId("acme").password("acme-pw").sessions(4)
                .window(20).requestTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(100))
                .start(ReceiptFixtures.receipts("wo", MESSAGES));

        // Cut the database for a few seconds once a quarter of the receipts are in, so that three quarters are still
        // to come while the worker delivers the first ones' events. (Waiting for a quarter of the events instead,
        // on a quiet machine, let every receipt in before the cut, since the receipt lock stopped scanning the
        // table: the cut then found no receipt to answer "retry later".)
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5))
                .until(() -> streamer.ackedOkCount() >= MESSAGES / 4);
        long throttledBefore = streamer.throttledAnswers();
        long cutAt = System.nanoTime();
        proxy.cut();
        await().atMost(Duration.ofSeconds(60)).until(() -> streamer.throttledAnswers() > throttledBefore);
        long holdMs = 4_000 - Duration.ofNanos(System.nanoTime() - cutAt).toMillis();
        if (holdMs > 0) {
            Thread.sleep(holdMs); // the outage itself, not a wait for a condition
        }
        Set<String> ackedDuringOutage = streamer.ackedOk();
        Set<String> storedDuringOutage;
        try (Connection c = db.database().connection()) {
            storedDuringOutage = ReceiptFixtures.storedReceiptCounts(c, "acme").keySet();
        }
        long throttledDuringOutage = streamer.throttledAnswers() - throttledBefore;
        int receivedDuringOutage = receiver.accepted().size();
        proxy.restore();

        assertTrue(streamer.awaitDone(Duration.ofSeconds(180)), streamer.figures());
        // The worker recovers by itself: nothing but time and the database coming back.
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection c = db.database().connection()) {
                return WebhookOutboxReads.undelivered(c) == 0;
            }
        });

        Set<String> finals;
        Set<String> outboxIds;
        try (Connection c = db.database().connection()) {
            finals = WebhookOutboxReads.finalMessages(c, campaign);
            outboxIds = WebhookOutboxReads.allEventIds(c, endpoint);
        }
        System.out.printf("webhook database outage: %s; %d throttled answers during it, %d events received "
                        + "before the restore, %d in the end (%d distinct), outbox %d%n", streamer.figures(),
                throttledDuringOutage, receivedDuringOutage, receiver.accepted().size(), receiver.acceptedIds().size(),
                outboxIds.size());

        assertContainsAll(storedDuringOutage, ackedDuringOutage, "receipts acknowledged OK but not stored");
        assertTrue(throttledDuringOutage > 0, "receipts answered with a temporary error during the outage");
        assertEquals(Set.of(), streamer.refused(), "no receipt refused for good");
        assertEquals(MESSAGES, finals.size(), "every message is final");
        assertEquals(finals, WebhookOutboxReads.finalsReceived(receiver.accepted()),
                "every final state reached the receiver");
        assertContainsAll(receiver.acceptedIds(), outboxIds, "events of the outbox never received");
        assertEquals(0, receiver.badSignatures());
    }

    long createEndpoint() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.httpPort() + "/api/v1/webhooks"))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("url", receiver.url())
                        .put("events", new JsonArray(List.of("message.tab_changed", "message.final"))).encode()))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, r.statusCode(), r.body());
        JsonObject created = new JsonObject(r.body());
        receiver.secret(created.getString("secret"));
        return created.getLong("id");
    }

    static void assertContainsAll(Set<String> container, Set<String> items, String what) {
        Set<String> missing = new TreeSet<>(items);
        missing.removeAll(container);
        assertTrue(missing.isEmpty(), missing.size() + " " + what + ", e.g. " + missing.stream().limit(10).toList());
    }
}
