package io.dlrgate.gateway.webhooks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.ReceiptFixtures;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Webhooks end to end: receipts from a real SMPP session go through the group commit, whose transactions write
 * the outbox, and the worker pushes the events to a real HTTP receiver run by the test on 127.0.0.1.
 */
class WebhookDeliveryTest {

    static final int MESSAGES = 1_000;
    static final String CARRIER = """
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
            """;

    GatewayHarness gw;
    WebhookReceiver receiver;
    ReceiptStreamer streamer;

    @AfterEach
    void tearDown() {
        if (streamer != null) {
            streamer.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    /** Creates the endpoint through the API and gives the receiver its secret (shown only in this answer). */
    long endpoint(String events) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/webhooks", new JsonObject().put("url", receiver.url())
                .put("events", new io.vertx.core.json.JsonArray(List.of(events.split(",")))).encode());
        assertEquals(201, r.statusCode(), r.body());
        JsonObject created = new JsonObject(r.body());
        receiver.secret(created.getString("secret"));
        return created.getLong("id");
    }

    long campaignWithReceipts(String prefix, int n) throws Exception {
        long campaign;
        try (Connection c = gw.db().database().connection()) {
            campaign = ReceiptFixtures.seedCampaign(c, "Webhooks " + prefix);
            ReceiptFixtures.seedSubmittedMessages(c, campaign, "acme", prefix, n);
        }
        streamer = ReceiptStreamer.to(gw.smppPort()).systemId("acme").password("acme-pw").sessions(4).window(50)
                .requestTimeout(Duration.ofSeconds(30)).backoff(Duration.ofMillis(100))
                .start(ReceiptFixtures.receipts(prefix, n));
        return campaign;
    }

    void awaitAllDelivered() {
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection c = gw.db().database().connection()) {
                return streamer.done() && WebhookOutboxReads.undelivered(c) == 0;
            }
        });
    }

    @Test
    void everyFinalStateReachesAFlakyReceiverInOrderAndSigned() throws Exception {
        flakyReceiver(MESSAGES, Duration.ofSeconds(3));
    }

    /** The figures: 10,000 messages, 30% of requests failed, the receiver down for 20 s mid-stream. */
    @Test
    void tenThousandFinalStatesReachAReceiverThatFailsAndIsDownFor20Seconds() throws Exception {
        flakyReceiver(10_000, Duration.ofSeconds(20));
    }

    void flakyReceiver(int messages, Duration down) throws Exception {
        gw = GatewayHarness.start(CARRIER);
        receiver = WebhookReceiver.start(0.3, 17);
        long endpoint = endpoint("message.tab_changed,message.final");
        long campaign = campaignWithReceipts("wh", messages);

        // The receiver goes away for a while in the middle of the stream, and comes back on the same port.
        await().atMost(Duration.ofSeconds(120)).until(() -> receiver.accepted().size() >= messages / 2);
        receiver.down();
        Thread.sleep(down.toMillis());
        receiver.up();
        assertTrue(streamer.awaitDone(Duration.ofSeconds(240)), streamer.figures());
        awaitAllDelivered();

        Map<Long, List<String>> written;
        Set<String> finals;
        try (Connection c = gw.db().database().connection()) {
            written = WebhookOutboxReads.eventsPerMessage(c, endpoint);
            finals = WebhookOutboxReads.finalMessages(c, campaign);
        }
        assertEquals(messages, finals.size(), "every message is final");
        assertEquals(finals, WebhookOutboxReads.finalsReceived(receiver.accepted()),
                "every final state reached the receiver");
        assertEquals(written, receiver.firstOrderPerMessage(), "each message's events, first received in order");
        assertEquals(0, receiver.badSignatures(), "every request signed with the endpoint's secret");
        assertEquals(0, receiver.badEventIdHeaders(), "Dlrgate-Event-Ids names the body's events in order");
        JsonObject view = new JsonObject(gw.get("/api/v1/webhooks/" + endpoint).body());
        assertEquals(0, view.getLong("backlog"));
        assertTrue(view.getLong("failed") > 0, "the receiver's failures are counted: " + view);
        assertFalse(view.containsKey("secret"), "the secret is shown once, when created");
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("dlrgate_webhook_deliveries_total{endpoint=\"" + endpoint
                + "\",outcome=\"failed\"}"), "failures metered");
    }

    @Test
    void aReplaySendsTheChosenEventsAgainWithTheirIds() throws Exception {
        gw = GatewayHarness.start(CARRIER);
        receiver = WebhookReceiver.start(0, 1);
        long endpoint = endpoint("message.final");
        long campaign = campaignWithReceipts("rp", 50);
        assertTrue(streamer.awaitDone(Duration.ofSeconds(60)), streamer.figures());
        awaitAllDelivered();
        Set<String> first = receiver.acceptedIds();
        assertEquals(50, first.size());

        HttpResponse<String> r = gw.post("/api/v1/webhooks/" + endpoint + "/replay",
                new JsonObject().put("campaignId", campaign).encode());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(50, new JsonObject(r.body()).getInteger("queued"));
        awaitAllDelivered();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.accepted().size() == 100);
        assertEquals(first, receiver.acceptedIds(), "the same eventIds, sent again");

        HttpResponse<String> none = gw.post("/api/v1/webhooks/" + endpoint + "/replay",
                new JsonObject().put("from", "2000-01-01T00:00:00Z").put("to", "2000-01-02T00:00:00Z").encode());
        assertEquals(0, new JsonObject(none.body()).getInteger("queued"), "a range with nothing in it");
    }

    @Test
    void aReceiverThatAnswers410DisablesTheEndpoint() throws Exception {
        gw = GatewayHarness.start(CARRIER);
        receiver = WebhookReceiver.start(0, 1);
        receiver.answer(410);
        long endpoint = endpoint("message.final");
        campaignWithReceipts("gone", 5);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                !new JsonObject(gw.get("/api/v1/webhooks/" + endpoint).body()).getBoolean("enabled"));
        JsonObject view = new JsonObject(gw.get("/api/v1/webhooks/" + endpoint).body());
        assertTrue(view.getString("disabledReason").contains("410"), view.encode());
        int requests = receiver.requests();
        assertTrue(streamer.awaitDone(Duration.ofSeconds(60)));

        // Enabled again, the waiting events go out.
        receiver.answer(0);
        assertEquals(200, gw.put("/api/v1/webhooks/" + endpoint, "{\"enabled\": true}").statusCode());
        awaitAllDelivered();
        // The receipts committed while the endpoint was disabled wrote no event for it: under load some of the five
        // commit after the 410, so count what the outbox holds, not the receipts.
        long written = gw.count("select count(*) from webhook_events where endpoint_id = " + endpoint);
        assertTrue(written >= 1, "the events written before the 410");
        assertEquals(written, receiver.acceptedIds().size(), "every waiting event went out once enabled again");
        assertTrue(receiver.requests() > requests);
    }

    @Test
    void aLargeResponseBodyIsDiscardedAndTheStatusDecides() throws Exception {
        gw = GatewayHarness.start(CARRIER);
        receiver = WebhookReceiver.start(0, 1);
        receiver.answerBodyBytes(1024 * 1024);
        long endpoint = endpoint("message.final");
        campaignWithReceipts("big", 1);
        assertTrue(streamer.awaitDone(Duration.ofSeconds(60)), streamer.figures());
        awaitAllDelivered();

        assertEquals(1, receiver.requests(), "delivered once, not retried for the size of the answer");
        JsonObject view = new JsonObject(gw.get("/api/v1/webhooks/" + endpoint).body());
        assertEquals(1, view.getLong("delivered"), view.encode());
        assertEquals(0, view.getLong("failed"), view.encode());
    }
}
