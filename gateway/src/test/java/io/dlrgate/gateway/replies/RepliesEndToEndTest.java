package io.dlrgate.gateway.replies;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduRequest;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.Gsm7Alphabet;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Recipients' replies end to end: a {@link TestCarrier} over real SMPP sends mobile-originated deliver_sm / data_sm,
 * the gateway stores them in PostgreSQL through the group committer and answers only once they are stored, so each
 * check reads the store right after the response, without waiting.
 */
class RepliesEndToEndTest {

    static final String CARRIERS = """
            carriers:
              - id: acme
                system_id: acme
                password: acme-pw
                prefixes: ["+44"]
                max_submit_rate: 20000
            """;
    static final Duration WAIT = Duration.ofSeconds(30);

    GatewayHarness gw;
    TestCarrier acme;
    final AtomicLong ids = new AtomicLong();

    @AfterEach
    void tearDown() {
        if (acme != null) {
            acme.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    void start(String extraYaml) throws Exception {
        gw = GatewayHarness.start(CARRIERS + extraYaml);
        acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("m" + ids.incrementAndGet())).bind();
    }

    // ---------------------------------------------------------------- helpers

    /** A reply as a handset's SMSC sends it: esm_class 0, international source without '+'. */
    static DeliverSm mo(String from, byte dataCoding, byte[] octets) throws Exception {
        DeliverSm d = new DeliverSm();
        d.setEsmClass((byte) 0x00);
        d.setSourceAddress(new Address((byte) 1, (byte) 1, from));
        d.setDestAddress(new Address((byte) 5, (byte) 0, "DLRGATE"));
        d.setDataCoding(dataCoding);
        d.setShortMessage(octets);
        return d;
    }

    static DeliverSm gsm(String from, String text) throws Exception {
        return mo(from, (byte) 0x00, Gsm7Alphabet.encode(text));
    }

    static DeliverSm ucs2(String from, String text) throws Exception {
        return mo(from, (byte) 0x08, text.getBytes(StandardCharsets.UTF_16BE));
    }

    int answer(PduRequest<?> pdu) throws Exception {
        PduResponse r = acme.send(pdu, Duration.ofSeconds(20));
        return r.getCommandStatus();
    }

    void reply(PduRequest<?> pdu) throws Exception {
        assertEquals(SmppConstants.STATUS_OK, answer(pdu), "deliver_sm_resp status");
    }

    /** The stored replies from a number, oldest first: text, data_coding, kind, campaign, message, to. */
    List<List<Object>> stored(String from) throws Exception {
        try (Connection c = gw.db().database().connection();
             PreparedStatement ps = c.prepareStatement("select text, data_coding, kind, campaign_id, message_id, "
                     + "to_address, carrier_id, command from replies where from_number = ? order by id")) {
            ps.setString(1, from);
            List<List<Object>> out = new java.util.ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(java.util.Arrays.asList(rs.getString(1), rs.getInt(2), rs.getString(3),
                            (Object) rs.getObject(4), rs.getObject(5), rs.getString(6), rs.getString(7),
                            rs.getString(8)));
                }
            }
            return out;
        }
    }

    String suppressionReason(String number) throws Exception {
        try (Connection c = gw.db().database().connection();
             PreparedStatement ps = c.prepareStatement("select reason from suppressions where number = ?")) {
            ps.setString(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    HttpResponse<String> trySend(String to) throws Exception {
        return gw.post("/api/v1/messages", new JsonObject().put("to", to).put("content", "hello").encode());
    }

    /** Sends to the number and waits until the carrier accepted it (a message that went to the number). */
    long sendAndSubmit(String to) throws Exception {
        return gw.sendAndAwaitSubmitted(to);
    }

    void assertSkipped(String to) throws Exception {
        HttpResponse<String> r = trySend(to);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("suppressed", new JsonObject(r.body()).getString("reason"), r.body());
    }

    long createCampaign(String name) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", name)
                .put("content", "Sale! Reply STOP to opt out").put("createdBy", "ana").encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    JsonObject sendCampaign(long campaign, List<String> contacts) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", contacts).put("sentBy", "ana").encode());
        assertEquals(202, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    JsonObject getJson(String path) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aGsm7ReplyWithExtensionCharactersIsStoredExactlyBeforeItIsAcknowledged() throws Exception {
        start("");
        String text = "Price €5 [ok] {yes} ~ ^ \\ | @£$¥ èéù";
        reply(gsm("447700900201", text));
        // Acknowledged only once stored: the row is there the moment deliver_sm_resp arrives.
        assertEquals(List.of(List.of(text, 0, "reply", "DLRGATE", "acme", "deliver_sm")),
                stored("+447700900201").stream().map(r -> List.of(r.get(0), r.get(1), r.get(2), r.get(5), r.get(6),
                        r.get(7))).toList());
    }

    @Test
    void aUcs2ReplyWithAnEmojiIsStoredExactly() throws Exception {
        start("");
        String text = "Merci 👍🏽 à bientôt — 你好";
        reply(ucs2("447700900202", text));
        assertEquals(text, stored("+447700900202").get(0).get(0));
        assertEquals(8, stored("+447700900202").get(0).get(1));
    }

    @Test
    void latin1AndMessagePayloadAndDataSmReplies() throws Exception {
        start("");
        reply(mo("447700900203", (byte) 0x03, "Très bien, ¿qué?".getBytes(StandardCharsets.ISO_8859_1)));
        DeliverSm payload = mo("447700900203", (byte) 0x08, new byte[0]);
        String longText = "A long answer in the payload 😀 ".repeat(12);
        payload.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD,
                longText.getBytes(StandardCharsets.UTF_16BE)));
        reply(payload);
        DataSm data = new DataSm();
        data.setSourceAddress(new Address((byte) 1, (byte) 1, "447700900203"));
        data.setDestAddress(new Address((byte) 0, (byte) 0, "12345"));
        data.setDataCoding((byte) 0x00);
        data.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD, Gsm7Alphabet.encode("via data_sm €")));
        reply(data);
        List<List<Object>> rows = stored("+447700900203");
        assertEquals(List.of("Très bien, ¿qué?", longText, "via data_sm €"), rows.stream().map(r -> r.get(0)).toList());
        assertEquals(List.of("deliver_sm", "deliver_sm", "data_sm"), rows.stream().map(r -> r.get(7)).toList());
        assertEquals("12345", rows.get(2).get(5));
    }

    @Test
    void aReplyFromANumberNeverSentToIsStoredUnlinked() throws Exception {
        start("");
        sendAndSubmit("+447700900299"); // another number
        reply(gsm("447700900204", "who is this?"));
        List<Object> row = stored("+447700900204").get(0);
        assertNull(row.get(3), "no campaign");
        assertNull(row.get(4), "no message");
        JsonObject page = getJson("/api/v1/replies?number=447700900204");
        assertEquals(1, page.getLong("total"));
        JsonObject item = page.getJsonArray("items").getJsonObject(0);
        assertEquals("who is this?", item.getString("text"));
        assertEquals("+447700900204", item.getString("from"));
        assertNull(item.getValue("campaignId"));
        assertNull(item.getValue("messageId"));
    }

    @Test
    void stopThenStartOptsTheNumberOutAndBackIn() throws Exception {
        start("");
        String n = "+447700900205";
        long single = sendAndSubmit(n);
        reply(gsm("447700900205", "  s T o P "));
        List<Object> row = stored(n).get(0);
        assertEquals("opt-out", row.get(2));
        assertEquals(single, ((Number) row.get(4)).longValue(), "linked to the single send");
        assertNull(row.get(3), "a single send has no campaign");
        assertEquals("opt-out", suppressionReason(n));
        JsonObject entry = getJson("/api/v1/suppressions?number=447700900205").getJsonArray("items").getJsonObject(0);
        assertEquals("opt-out", entry.getString("reason"));
        assertEquals("reply", entry.getString("createdBy"));
        assertSkipped(n);

        reply(gsm("447700900205", "Start"));
        assertNull(suppressionReason(n), "START lifts the opt-out");
        assertEquals("opt-in", stored(n).get(1).get(2));
        sendAndSubmit(n);

        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("dlrgate_replies_total{carrier=\"acme\",kind=\"opt_out\"} 1.0"), metrics);
        assertTrue(metrics.contains("dlrgate_replies_total{carrier=\"acme\",kind=\"opt_in\"} 1.0"), metrics);
    }

    @Test
    void anOptOutIsReportedToWebhooksAsNumberSuppressed() throws Exception {
        start("webhooks:\n  allow_http: true\n  allow_private: true\n");
        // The outbox is what is under test; the receiver, a socket that never answers, is not.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpResponse<String> hook = gw.post("/api/v1/webhooks", new JsonObject()
                    .put("url", "http://127.0.0.1:" + silent.getLocalPort() + "/hooks")
                    .put("events", new JsonArray(List.of("number.suppressed"))).encode());
            assertEquals(201, hook.statusCode(), hook.body());
            reply(gsm("447700900207", "STOP"));
            assertEquals("opt-out", suppressionReason("+447700900207"));
            assertEquals(1, gw.count("select count(*) from webhook_events where type = 'number.suppressed' "
                    + "and number = '+447700900207' and cause = 'opt-out'"), "written with the opt-out");
        }
    }

    @Test
    void aSentenceHoldingStopIsAnOrdinaryReply() throws Exception {
        start("");
        reply(gsm("447700900206", "stop sending me these"));
        assertEquals("reply", stored("+447700900206").get(0).get(2));
        assertNull(suppressionReason("+447700900206"));
    }

    @Test
    void configuredKeywordsReplaceTheDefaults() throws Exception {
        start("replies: {opt_out_keywords: [ARRET], opt_in_keywords: [ALLEZ]}\n");
        reply(gsm("447700900207", "stop"));
        assertNull(suppressionReason("+447700900207"), "STOP is no longer a keyword");
        reply(gsm("447700900207", "arret"));
        assertEquals("opt-out", suppressionReason("+447700900207"));
        reply(gsm("447700900207", "allez"));
        assertNull(suppressionReason("+447700900207"));
    }

    @Test
    void anOptedOutNumberIsSkippedByTheNextCampaignSendAndCountedInTheReport() throws Exception {
        start("");
        long campaign = createCampaign("Spring");
        List<String> contacts = List.of("+447700900210", "+447700900211");
        sendCampaign(campaign, contacts);
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where campaign_id = " + campaign
                + " and dispatch_state = 'submitted'") == 2);
        reply(gsm("447700900210", "STOP"));
        reply(gsm("447700900211", "Thanks!"));

        assertEquals(campaign, ((Number) stored("+447700900210").get(0).get(3)).longValue());
        JsonObject report = getJson("/api/v1/campaigns/" + campaign + "/report");
        assertEquals(1, report.getLong("optOuts"), report.encode());
        JsonObject replies = getJson("/api/v1/replies?campaignId=" + campaign);
        assertEquals(2, replies.getLong("total"));
        JsonArray items = replies.getJsonArray("items");
        assertEquals("Thanks!", items.getJsonObject(0).getString("text"), "newest first");
        assertEquals("opt-out", items.getJsonObject(1).getString("kind"));

        JsonObject again = sendCampaign(campaign, contacts);
        assertEquals(1, again.getInteger("queued"));
        assertEquals(1, again.getInteger("skipped"), "the opted-out number is counted as suppressed");
        assertEquals(new JsonArray().add("+447700900210"), again.getJsonArray("suppressed"));
    }

    @Test
    void theHardBounceToggleNeitherLiftsNorBlocksAnOptOutAndStartLiftsOnlyOptOuts() throws Exception {
        start("");
        HttpResponse<String> off = gw.put("/api/v1/settings", new JsonObject().put("suppressHardBounces", false)
                .encode());
        assertEquals(200, off.statusCode(), off.body());
        reply(gsm("447700900220", "STOP"));
        assertEquals("opt-out", suppressionReason("+447700900220"), "opted out with the hard-bounce setting off");
        assertSkipped("+447700900220");
        HttpResponse<String> on = gw.put("/api/v1/settings", new JsonObject().put("suppressHardBounces", true)
                .encode());
        assertEquals(200, on.statusCode(), on.body());
        gw.put("/api/v1/settings", new JsonObject().put("suppressHardBounces", false).encode());
        assertEquals("opt-out", suppressionReason("+447700900220"), "toggling does not lift it");
        assertSkipped("+447700900220");

        // A number suppressed for another reason stays suppressed whatever its replies say.
        HttpResponse<String> manual = gw.post("/api/v1/suppressions", new JsonObject()
                .put("number", "+447700900221").put("reason", "complaint").encode());
        assertTrue(manual.statusCode() / 100 == 2, manual.body());
        reply(gsm("447700900221", "STOP"));
        reply(gsm("447700900221", "START"));
        assertEquals("complaint", suppressionReason("+447700900221"));
        assertSkipped("+447700900221");
    }

    @Test
    void receiptsStillGoToTheReceiptPath() throws Exception {
        start("");
        // esm_class 0 but a receipt's text: goes to the receipt parser (which refuses it for its esm_class, as
        // before), never stored as a reply.
        DeliverSm r = mo("447700900230", (byte) 0x00, ("id:zz1 sub:001 dlvrd:001 submit date:2401011200 "
                + "done date:2401011205 stat:DELIVRD err:000 text:hi").getBytes(StandardCharsets.US_ASCII));
        assertEquals(0x65, answer(r));
        assertEquals(0, stored("+447700900230").size(), "not a reply");
        reply(TestCarrier.receipt("id:zz2 sub:001 dlvrd:001 submit date:2401011200 done date:2401011205 "
                + "stat:DELIVRD err:000 text:hi", "447700900231", "DLRGATE"));
        assertEquals(0, gw.count("select count(*) from replies"));
    }

    @Test
    void csvExportNeutralisesFormulas() throws Exception {
        start("");
        reply(gsm("447700900240", "=HYPERLINK(\"http://x\")"));
        HttpResponse<String> csv = gw.get("/api/v1/replies?format=csv");
        assertEquals(200, csv.statusCode(), csv.body());
        assertTrue(csv.body().startsWith("received_at,from,to,text,kind"), csv.body());
        assertTrue(csv.body().contains("'=HYPERLINK"), csv.body());
        assertTrue(csv.body().contains("+447700900240"), csv.body());
    }
}
