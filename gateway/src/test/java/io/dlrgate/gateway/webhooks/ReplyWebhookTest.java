package io.dlrgate.gateway.webhooks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.Gsm7Alphabet;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code reply.received}: a recipient's reply, stored from a real SMPP deliver_sm, reaches a real HTTP receiver
 * signed, with the reply's text, the message it answers, and whether it opted the number out (followed then by the
 * {@code number.suppressed} it caused). The outbox row is written in the reply's own transaction: it is there the
 * moment the deliver_sm_resp is.
 */
class ReplyWebhookTest {

    static final String CONFIG = """
            carriers:
              - id: acme
                system_id: acme
                password: acme-pw
                prefixes: ["+44"]
                max_submit_rate: 20000
            webhooks:
              allow_http: true
              allow_private: true
              retry_initial: 50ms
            """;

    GatewayHarness gw;
    TestCarrier acme;
    WebhookReceiver receiver;
    final AtomicLong ids = new AtomicLong();

    @AfterEach
    void tearDown() {
        if (acme != null) {
            acme.close();
        }
        if (gw != null) {
            gw.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    void start(String events) throws Exception {
        gw = GatewayHarness.start(CONFIG);
        acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("m" + ids.incrementAndGet())).bind();
        receiver = WebhookReceiver.start(0, 1);
        HttpResponse<String> r = gw.post("/api/v1/webhooks", new JsonObject().put("url", receiver.url())
                .put("events", new JsonArray(List.of(events.split(",")))).encode());
        assertEquals(201, r.statusCode(), r.body());
        receiver.secret(new JsonObject(r.body()).getString("secret"));
    }

    void reply(String from, String text) throws Exception {
        DeliverSm d = new DeliverSm();
        d.setSourceAddress(new Address((byte) 1, (byte) 1, from));
        d.setDestAddress(new Address((byte) 3, (byte) 0, "60777"));
        d.setShortMessage(Gsm7Alphabet.encode(text));
        assertEquals(SmppConstants.STATUS_OK, acme.send(d, Duration.ofSeconds(20)).getCommandStatus());
    }

    List<JsonObject> received(int n) {
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.acceptedJson().size() >= n);
        return receiver.acceptedJson();
    }

    @Test
    void aReplyReachesTheReceiverWithItsTextAndTheMessageItAnswers() throws Exception {
        start("reply.received");
        long message = gw.sendAndAwaitSubmitted("+447700900401");
        reply("447700900401", "Yes, Tuesday works");
        // Written with the reply, in its transaction: there as soon as the deliver_sm_resp is.
        assertEquals(1, gw.count("select count(*) from webhook_events where type = 'reply.received'"));
        JsonObject e = received(1).get(0);
        long replyId = gw.count("select id from replies where from_number = '+447700900401'");
        assertEquals("reply.received", e.getString("type"));
        assertEquals(replyId, e.getLong("replyId"));
        assertEquals("+447700900401", e.getString("number"));
        assertEquals("60777", e.getString("to"));
        assertEquals("Yes, Tuesday works", e.getString("text"));
        assertEquals("reply", e.getString("kind"));
        assertFalse(e.getBoolean("optOut"));
        assertEquals(message, e.getLong("messageId"));
        assertNull(e.getValue("campaignId"), "a single send has no campaign");
        assertTrue(e.containsKey("eventId") && e.containsKey("occurredAt"), e.encode());
        assertEquals(0, receiver.badSignatures());
    }

    @Test
    void aStopIsAnOptOutFollowedByTheSuppressionItCaused() throws Exception {
        start("reply.received,number.suppressed");
        reply("447700900402", " stop ");
        List<JsonObject> events = received(2);
        assertEquals(List.of("reply.received", "number.suppressed"),
                events.stream().map(e -> e.getString("type")).toList(), "in the order they happened");
        JsonObject r = events.get(0);
        assertEquals("opt-out", r.getString("kind"));
        assertTrue(r.getBoolean("optOut"));
        assertEquals(" stop ", r.getString("text"), "the text as sent");
        assertNull(r.getValue("messageId"), "nothing was sent to the number: an unlinked reply");
        assertEquals("opt-out", events.get(1).getString("cause"));
        assertEquals("+447700900402", events.get(1).getString("number"));
    }

    @Test
    void aCarriersResendRaisesNoSecondEvent() throws Exception {
        start("reply.received");
        reply("447700900403", "Thanks");
        reply("447700900403", "Thanks");
        assertEquals(1, gw.count("select count(*) from webhook_events where type = 'reply.received'"));
    }

    @Test
    void aReplayResendsTheReplyWhole() throws Exception {
        start("reply.received");
        reply("447700900404", "Call me");
        JsonObject first = received(1).get(0);
        long endpoint = gw.count("select id from webhook_endpoints");
        // The receiver has the request before the worker records the delivery, and a replay copies only
        // delivered events (waiting ones are on their way): replaying before the record would queue nothing.
        await().atMost(Duration.ofSeconds(30))
                .until(() -> gw.count("select count(*) from webhook_events where delivered_at is not null") == 1);
        HttpResponse<String> r = gw.post("/api/v1/webhooks/" + endpoint + "/replay",
                new JsonObject().put("from", "2000-01-01T00:00:00Z").put("to", "2100-01-01T00:00:00Z").encode());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(1, new JsonObject(r.body()).getInteger("queued"), r.body());
        JsonObject again = received(2).get(1);
        assertEquals(first, again, "the same event, the same eventId, the same text");
    }
}
