package io.dlrgate.gateway.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.pdu.DataSm;
import com.cloudhopper.smpp.pdu.DeliverSm;
import com.cloudhopper.smpp.pdu.PduResponse;
import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.tlv.Tlv;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.logging.LogRateLimit;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.LogCapture;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Receipt intake over real SMPP sessions against a real gateway and PostgreSQL: a message goes out through the
 * API, a {@link TestCarrier} accepts it, then the carrier sends receipts as deliver_sm / data_sm and the test
 * reads where the message landed through the API and the store.
 */
class ReceiptIntakeTest {

    static final String CARRIERS = """
            carriers:
              - id: acme
                system_id: acme
                password: acme-pw
                prefixes: ["+44"]
                max_submit_rate: 20000
              - id: hexco
                system_id: hexco
                password: hexco-pw
                prefixes: ["+33"]
                max_submit_rate: 20000
                submit_id_format: hex
                receipt_id_format: decimal
            """;
    static final Duration WAIT = Duration.ofSeconds(20);

    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    // ---------------------------------------------------------------- helpers

    TestCarrier bind(String systemId, String password, Function<SubmitSm, TestCarrier.SubmitAnswer> answer) {
        TestCarrier c = TestCarrier.to(gw.smppPort()).systemId(systemId).password(password)
                .bindType(BindType.TRANSCEIVER).onSubmit(answer).bind();
        carriers.add(c);
        return c;
    }

    /** A carrier answering each submit with "acme-" + the destination number, so the test knows every id. */
    TestCarrier bindAcme() {
        return bind("acme", "acme-pw", s -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress()));
    }

    long sendSingle(String to) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/messages", new JsonObject().put("to", to).put("content", "hello")
                .encode());
        assertEquals(202, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    JsonObject message(long id) throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/messages/" + id);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    JsonObject awaitSubmitted(long id) throws Exception {
        await().atMost(WAIT).until(() -> "submitted".equals(message(id).getString("dispatchState")));
        return message(id);
    }

    JsonObject awaitTab(long id, String tab) throws Exception {
        await().atMost(WAIT).until(() -> tab.equals(message(id).getString("tab")));
        return message(id);
    }

    /** Creates a campaign, sends it to {@code contacts} and waits until all are submitted; message id by number. */
    Map<String, Long> sendCampaign(long campaignId, List<String> contacts) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaignId + "/sends",
                new JsonObject().put("contacts", contacts).put("sentBy", "qa").encode());
        assertEquals(202, r.statusCode(), r.body());
        assertEquals(contacts.size(), new JsonObject(r.body()).getInteger("queued"));
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where campaign_id = " + campaignId
                + " and dispatch_state = 'submitted'") == contacts.size());
        Map<String, Long> ids = new LinkedHashMap<>();
        for (Map<String, Object> row : rows("select recipient, id from messages where campaign_id = ? order by id",
                campaignId)) {
            ids.put((String) row.get("recipient"), (Long) row.get("id"));
        }
        return ids;
    }

    long createCampaign(String name) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", name)
                .put("content", "Spring sale").put("createdBy", "qa").encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    JsonObject report(long campaignId) throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/campaigns/" + campaignId + "/report");
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body()).getJsonObject("tabs");
    }

    static String text(String id, String stat, String err) {
        String dlvrd = "DELIVRD".equals(stat) ? "001" : "000";
        return "id:" + id + " sub:001 dlvrd:" + dlvrd + " submit date:2401011200 done date:2401011205 stat:" + stat
                + " err:" + err + " text:hello";
    }

    static DeliverSm receipt(String id, String stat, String err) {
        return TestCarrier.receipt(text(id, stat, err));
    }

    /** The same receipt flagged as an intermediate notification (esm_class 0x20). */
    static DeliverSm intermediate(DeliverSm d) {
        d.setEsmClass((byte) 0x20);
        return d;
    }

    static int status(PduResponse r) {
        return r.getCommandStatus();
    }

    List<Map<String, Object>> rows(String sql, Object... args) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Connection c = gw.db().database().connection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= n; i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** The raw receipt log rows of one message, oldest first. */
    List<Map<String, Object>> receiptsOf(long messageId) throws Exception {
        return rows("select * from receipts where message_id = ? order by id", messageId);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void delivrdLandsInDeliveredAndUndelivInHardBounces() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long campaign = createCampaign("Spring");
        Map<String, Long> ids = sendCampaign(campaign, List.of("+447700900001", "+447700900002", "+447700900003"));
        long delivered = ids.get("+447700900001");
        long bounced = ids.get("+447700900002");
        long pending = ids.get("+447700900003");
        assertEquals("acme-447700900001", message(delivered).getString("carrierMessageId"));

        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("acme-447700900001", "DELIVRD", "000"))));
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("acme-447700900002", "UNDELIV", "001"))));

        // Acknowledged means committed: no waiting needed before reading.
        JsonObject d = message(delivered);
        assertEquals("delivered", d.getString("tab"), d.encode());
        assertEquals("DELIVRD", d.getString("stat"));
        assertEquals("receipt", d.getString("finalBy"));
        assertNotNull(d.getString("finalAt"));
        JsonObject b = message(bounced);
        assertEquals("hard-bounces", b.getString("tab"), b.encode());
        assertEquals("UNDELIV", b.getString("stat"));
        assertEquals("001", b.getString("error"));
        JsonObject p = message(pending);
        assertEquals("pending", p.getString("tab"));
        assertNull(p.getString("stat"));

        assertEquals(new JsonObject().put("delivered", 1).put("pending", 1).put("soft-bounces", 0)
                .put("hard-bounces", 1).put("deleted", 0), report(campaign));
        List<Map<String, Object>> log = receiptsOf(delivered);
        assertEquals(1, log.size());
        assertEquals("applied", log.get(0).get("outcome"));
        assertEquals("deliver_sm", log.get(0).get("command"));
        assertEquals("DELIVRD", log.get(0).get("stat"));
        assertEquals("acme", log.get(0).get("carrier_id"));
    }

    @Test
    void receiptsArrivingBeforeTheSubmitSmRespAreKeptAndAppliedWhenTheIdArrives() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        AtomicReference<TestCarrier> self = new AtomicReference<>();
        List<Integer> earlyStatuses = new CopyOnWriteArrayList<>();
        // The carrier sends the receipts from its submit handler and only then answers the submit: the
        // gateway sees (and must acknowledge) both receipts before it learns the message id. The receipt id is
        // written in another case than the submit_sm_resp id: both normalise the same way.
        TestCarrier acme = bind("acme", "acme-pw", submit -> {
            try {
                earlyStatuses.add(status(self.get().sendDeliverSm(intermediate(receipt("early-1", "ENROUTE", "000")), Duration.ofSeconds(10))));
                earlyStatuses.add(status(self.get().sendDeliverSm(receipt("early-1", "DELIVRD", "000"),
                        Duration.ofSeconds(10))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return TestCarrier.SubmitAnswer.ok("EARLY-1");
        });
        self.set(acme);
        long id = sendSingle("+447700900111");
        JsonObject m = awaitTab(id, "delivered");
        assertEquals(List.of(SmppConstants.STATUS_OK, SmppConstants.STATUS_OK), earlyStatuses,
                "receipts for an id not known yet are acknowledged");
        assertEquals("DELIVRD", m.getString("stat"));
        assertEquals("early-1", m.getString("carrierMessageId"));

        List<Map<String, Object>> orphans = rows("select o.*, r.stat from orphan_receipts o join receipts r "
                + "on r.id = o.receipt_id order by o.receipt_id");
        assertEquals(2, orphans.size(), "both kept as orphans first: " + orphans);
        for (Map<String, Object> o : orphans) {
            assertNotNull(o.get("matched_at"), "matched once the submit_sm_resp arrived: " + o);
            assertEquals(id, o.get("message_id"));
        }
        List<Map<String, Object>> log = receiptsOf(id);
        assertEquals(2, log.size(), "the receipt log points at the message once matched");
        assertEquals(List.of("ENROUTE", "DELIVRD"), log.stream().map(r -> r.get("stat")).toList());
    }

    @Test
    void aReceiptWhoseSubmitRespIsHeldEndsInItsTab() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        AtomicReference<TestCarrier> self = new AtomicReference<>();
        AtomicReference<Integer> early = new AtomicReference<>();
        TestCarrier acme = bind("acme", "acme-pw", submit -> {
            try {
                early.set(status(self.get().sendDeliverSm(receipt("held-7", "UNDELIV", "0A1"),
                        Duration.ofSeconds(10))));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return TestCarrier.SubmitAnswer.ok("held-7");
        });
        self.set(acme);
        long id = sendSingle("+447700900112");
        JsonObject m = awaitTab(id, "hard-bounces");
        assertEquals(SmppConstants.STATUS_OK, early.get());
        assertEquals("UNDELIV", m.getString("stat"));
        assertEquals("0A1", m.getString("error"));
        assertEquals("receipt", m.getString("finalBy"));
    }

    @Test
    void theSameReceiptThreeTimesIsAppliedOnceAndLoggedThrice() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long id = sendSingle("+447700900201");
        awaitSubmitted(id);
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("acme-447700900201", "DELIVRD", "000"))));
        JsonObject first = message(id);
        assertEquals("delivered", first.getString("tab"));
        for (int i = 0; i < 2; i++) {
            assertEquals(SmppConstants.STATUS_OK,
                    status(acme.sendDeliverSm(receipt("acme-447700900201", "DELIVRD", "000"))));
        }
        JsonObject after = message(id);
        assertEquals("delivered", after.getString("tab"));
        assertEquals(first.getString("finalAt"), after.getString("finalAt"), "duplicates change nothing");
        assertEquals(first.getString("stat"), after.getString("stat"));
        List<Map<String, Object>> log = receiptsOf(id);
        assertEquals(List.of("applied", "duplicate", "duplicate"), log.stream().map(r -> r.get("outcome")).toList());
    }

    @Test
    void enrouteAfterDelivrdStaysDelivered() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long id = sendSingle("+447700900301");
        awaitSubmitted(id);
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("acme-447700900301", "DELIVRD", "000"))));
        DeliverSm enroute = intermediate(receipt("acme-447700900301", "ENROUTE", "000"));
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(enroute)));
        JsonObject m = message(id);
        assertEquals("delivered", m.getString("tab"));
        assertEquals("DELIVRD", m.getString("stat"));
        List<Map<String, Object>> log = receiptsOf(id);
        assertEquals(2, log.size());
        assertEquals("intermediate_after_final", log.get(1).get("outcome"));
        assertEquals(Boolean.TRUE, log.get(1).get("intermediate"));
        assertEquals(0x20, log.get(1).get("esm_class"));
    }

    @Test
    void aReceiptForAnUnknownIdIsAcknowledgedAndKeptAsAnOrphan() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("No-Such-Id-42", "DELIVRD", "000"))));
        List<Map<String, Object>> orphans = rows("select * from orphan_receipts");
        assertEquals(1, orphans.size());
        assertEquals("no-such-id-42", orphans.get(0).get("receipted_id"));
        assertEquals("acme", orphans.get(0).get("carrier_id"));
        assertNull(orphans.get(0).get("matched_at"));
        List<Map<String, Object>> log = rows("select * from receipts");
        assertEquals(1, log.size());
        assertEquals("orphan", log.get(0).get("outcome"));
        assertEquals("No-Such-Id-42", log.get(0).get("receipted_id_raw"));
        assertNull(log.get(0).get("message_id"));
    }

    @Test
    void aDataSmReceiptWithTlvsOnlyIsApplied() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long id = sendSingle("+447700900401");
        awaitSubmitted(id);
        DataSm d = new DataSm();
        d.setEsmClass((byte) 0x04);
        d.setSourceAddress(new Address((byte) 1, (byte) 1, "447700900401"));
        d.setDestAddress(new Address((byte) 1, (byte) 1, "DLRGATE"));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_RECEIPTED_MSG_ID,
                "acme-447700900401\0".getBytes(StandardCharsets.ISO_8859_1)));
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MSG_STATE, new byte[] {5})); // UNDELIVERABLE
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_NETWORK_ERROR_CODE, new byte[] {3, 0x00, 0x0B}));
        PduResponse resp = acme.send(d, Duration.ofSeconds(10));
        assertEquals(SmppConstants.STATUS_OK, status(resp), resp.toString());
        assertEquals("data_sm_resp", resp.getName());
        JsonObject m = message(id);
        assertEquals("hard-bounces", m.getString("tab"), m.encode());
        assertEquals("UNDELIV", m.getString("stat"));
        List<Map<String, Object>> log = receiptsOf(id);
        assertEquals(1, log.size());
        assertEquals("data_sm", log.get(0).get("command"));
        assertEquals(5, log.get(0).get("message_state"));
        assertNotNull(log.get(0).get("network_error_code"));
        assertTrue(((String) log.get(0).get("network_error_code")).contains("11"), log.get(0).toString());
    }

    @Test
    void aReceiptWithItsTextInMessagePayloadIsApplied() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long id = sendSingle("+447700900501");
        awaitSubmitted(id);
        DeliverSm d = TestCarrier.receipt("");
        d.setShortMessage(new byte[0]);
        d.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD,
                text("acme-447700900501", "DELETED", "002").getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(d)));
        JsonObject m = message(id);
        assertEquals("deleted", m.getString("tab"), m.encode());
        assertEquals("DELETED", m.getString("stat"));
        assertEquals("002", m.getString("error"));
        List<Map<String, Object>> log = receiptsOf(id);
        assertEquals(1, log.size());
        assertTrue(((String) log.get(0).get("body")).contains("stat:DELETED"), log.get(0).toString());
    }

    @Test
    void hexSubmitIdsMatchDecimalReceiptIds() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier hexco = bind("hexco", "hexco-pw", s -> TestCarrier.SubmitAnswer.ok("812FC7470000001B"));
        long id = sendSingle("+33612345678");
        assertEquals("9308878062554710043", awaitSubmitted(id).getString("carrierMessageId"));
        assertEquals(SmppConstants.STATUS_OK,
                status(hexco.sendDeliverSm(receipt("9308878062554710043", "EXPIRED", "000"))));
        JsonObject m = message(id);
        assertEquals("soft-bounces", m.getString("tab"), m.encode());
        assertEquals("EXPIRED", m.getString("stat"));
        List<Map<String, Object>> log = receiptsOf(id);
        assertEquals(1, log.size());
        assertEquals("9308878062554710043", log.get(0).get("receipted_id_raw"));
        assertEquals("9308878062554710043", log.get(0).get("receipted_id"));
        assertEquals("hexco", log.get(0).get("carrier_id"));
    }

    /** esm_class message type 0x08, SME delivery acknowledgement: not a receipt, not a reply. */
    static final byte SME_DELIVERY_ACK = 0x08;

    @Test
    void oneCarriersFloodOfRefusedReceiptsDoesNotHideAnothersRefusal() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        TestCarrier hexco = bind("hexco", "hexco-pw", s -> TestCarrier.SubmitAnswer.ok("1"));
        List<String> logged = LogCapture.during(ReceiptIntake.class, () -> {
            for (int i = 0; i < 60; i++) { // three times the per-window limit
                DeliverSm mo = TestCarrier.receipt("not a receipt " + i);
                mo.setEsmClass(SME_DELIVERY_ACK);
                assertEquals(SmppConstants.STATUS_X_P_APPN, status(acme.sendDeliverSm(mo)));
            }
            DeliverSm mo = TestCarrier.receipt("hexco's own mistake");
            mo.setEsmClass(SME_DELIVERY_ACK);
            assertEquals(SmppConstants.STATUS_X_P_APPN, status(hexco.sendDeliverSm(mo)));
        }).messages().stream().filter(m -> m.contains("refused")).toList();
        long acmeLines = logged.stream().filter(m -> m.startsWith("carrier acme ")).count();
        // 60 refusals within a window or two of the per-carrier limit (the limiter's window may roll over once).
        assertTrue(acmeLines >= 1 && acmeLines <= 2L * LogRateLimit.DEFAULT_LINES,
                "acme's lines limited: " + acmeLines);
        assertEquals(1, logged.stream().filter(m -> m.startsWith("carrier hexco ")).count(),
                "hexco's refusal is logged despite acme's flood: " + logged.size() + " lines");
    }

    @Test
    void receiptTextWithALineBreakIsLoggedEscapedOnOneLine() throws Exception {
        // A bound carrier must not be able to write lines of its own into the log: the refusal line quotes the
        // receipt text (it has no id), and its line break must show as \n.
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        List<String> logged = LogCapture.during(ReceiptIntake.class, () -> {
            DeliverSm forged = TestCarrier.receipt("stat:DELIVRD\nFAKE LOG LINE\r\n\tfrom the carrier");
            assertEquals(SmppConstants.STATUS_X_P_APPN, status(acme.sendDeliverSm(forged)), "no id: refused");
        }).messages().stream().filter(m -> m.contains("FAKE LOG LINE")).toList();
        assertEquals(1, logged.size(), "the refusal is logged once: " + logged);
        String line = logged.get(0);
        System.out.println("logged: " + line);
        assertFalse(line.contains("\n") || line.contains("\r") || line.contains("\t"), line);
        assertTrue(line.contains("'stat:DELIVRD\\nFAKE LOG LINE\\r\\n\\tfrom the ca"), line);
    }

    @Test
    void aDeliverSmThatIsNotAReceiptIsRefusedAndTheSessionKeepsWorking() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long id = sendSingle("+447700900601");
        awaitSubmitted(id);
        // An SME delivery acknowledgement: neither a receipt nor a recipient's reply (esm_class 0, which is stored:
        // RepliesEndToEndTest).
        DeliverSm mo = TestCarrier.receipt("hello, this is an SME acknowledgement, not a receipt");
        mo.setEsmClass(SME_DELIVERY_ACK);
        PduResponse refused = acme.sendDeliverSm(mo);
        System.out.printf("non-receipt deliver_sm answered 0x%08X%n", refused.getCommandStatus());
        // ESME_RX_P_APPN 0x65, the permanent application error; not 0x64 (ESME_RX_T_APPN, temporary) nor
        // the throttle status: with those the carrier would resend it for ever.
        assertEquals(SmppConstants.STATUS_X_P_APPN, status(refused));
        assertEquals(0, gw.count("select count(*) from receipts"), "nothing stored for a non-receipt");

        assertTrue(acme.isBound());
        assertEquals(SmppConstants.STATUS_OK, acme.enquireLink(Duration.ofSeconds(5)).getCommandStatus());
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("acme-447700900601", "DELIVRD", "000"))));
        assertEquals("delivered", message(id).getString("tab"));
        assertFalse(acme.closedByPeer());
    }

    @Test
    void theTabEndpointListsContactsWithStatErrorAndTimesAndPagesWithAfter() throws Exception {
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long campaign = createCampaign("Paging");
        List<String> contacts = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            contacts.add("+4477009007" + String.format("%02d", i));
        }
        Map<String, Long> ids = sendCampaign(campaign, contacts);
        Map<String, String> errByNumber = new HashMap<>();
        for (int i = 0; i < 9; i++) {
            String number = contacts.get(i);
            String stat = i < 7 ? "UNDELIV" : "DELIVRD";
            String err = i < 7 ? String.format("%03d", 10 + i) : "000";
            errByNumber.put(number, err);
            assertEquals(SmppConstants.STATUS_OK,
                    status(acme.sendDeliverSm(receipt("acme-" + number.substring(1), stat, err))));
        }
        assertEquals(new JsonObject().put("delivered", 2).put("pending", 0).put("soft-bounces", 0)
                .put("hard-bounces", 7).put("deleted", 0), report(campaign));

        // Page through Hard bounces three at a time, following `after`.
        List<JsonObject> seen = new ArrayList<>();
        List<Integer> pageSizes = new ArrayList<>();
        String path = "/api/v1/campaigns/" + campaign + "/report/hard-bounces?limit=3";
        for (int page = 0; page < 10 && path != null; page++) {
            HttpResponse<String> r = gw.get(path);
            assertEquals(200, r.statusCode(), r.body());
            JsonObject body = new JsonObject(r.body());
            assertEquals("hard-bounces", body.getString("tab"));
            JsonArray items = body.getJsonArray("items");
            pageSizes.add(items.size());
            items.forEach(o -> seen.add((JsonObject) o));
            path = body.getString("next");
            if (path != null) {
                long last = ((JsonObject) items.getValue(items.size() - 1)).getLong("messageId");
                assertTrue(path.contains("after=" + last), path);
            }
        }
        assertEquals(List.of(3, 3, 1), pageSizes);
        assertEquals(contacts.subList(0, 7), seen.stream().map(o -> o.getString("number")).toList(),
                "every hard bounce once, in message order");
        long previous = 0;
        for (JsonObject o : seen) {
            String number = o.getString("number");
            assertEquals(ids.get(number), o.getLong("messageId"));
            assertTrue(o.getLong("messageId") > previous);
            previous = o.getLong("messageId");
            assertEquals("UNDELIV", o.getString("stat"), o.encode());
            assertEquals(errByNumber.get(number), o.getString("error"), o.encode());
            assertNotNull(o.getString("sentAt"), o.encode());
            assertNotNull(o.getString("finalAt"), o.encode());
            assertEquals("GB", o.getString("country"), o.encode());
        }
        // An explicit `after` in the middle gives what follows it.
        HttpResponse<String> mid = gw.get("/api/v1/campaigns/" + campaign + "/report/hard-bounces?limit=100&after="
                + seen.get(4).getLong("messageId"));
        assertEquals(List.of(contacts.get(5), contacts.get(6)), new JsonObject(mid.body()).getJsonArray("items")
                .stream().map(o -> ((JsonObject) o).getString("number")).toList());

        JsonArray delivered = new JsonObject(gw.get("/api/v1/campaigns/" + campaign + "/report/delivered").body())
                .getJsonArray("items");
        assertEquals(2, delivered.size());
        for (Object o : delivered) {
            assertEquals("DELIVRD", ((JsonObject) o).getString("stat"));
        }
        assertEquals(0, new JsonObject(gw.get("/api/v1/campaigns/" + campaign + "/report/pending").body())
                .getJsonArray("items").size());
        assertEquals(400, gw.get("/api/v1/campaigns/" + campaign + "/report/bounced").statusCode());
    }

    @Test
    void aReceiptWithNulBytesInsideItsTextIsStoredAndDoesNotBlockTheOthers() throws Exception {
        // Some carriers pad or separate fields with NUL. PostgreSQL text cannot hold U+0000: stored as-is, the
        // batch would fail, every receipt in it would be throttled, and the carrier's retries would fail the same
        // way for ever. The NUL-laden receipt must be applied and logged like any other.
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        long nul = sendSingle("+447700900301");
        long plain = sendSingle("+447700900302");
        awaitSubmitted(nul);
        awaitSubmitted(plain);
        DeliverSm withNuls = TestCarrier.receipt("id:acme-447700900301\u0000 sub:001 dlvrd:001\u0000stat:DELIVRD"
                + "\u0000err:000 text:he\u0000llo\u0000\u0000");
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(withNuls)));
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("acme-447700900302", "DELIVRD", "000"))));
        assertEquals("delivered", message(nul).getString("tab"));
        assertEquals("delivered", message(plain).getString("tab"));
        List<Map<String, Object>> log = rows("select body from receipts where message_id = ?", nul);
        assertEquals(1, log.size());
        String body = String.valueOf(log.get(0).get("body"));
        assertTrue(body.startsWith("id:acme-447700900301"), body);
        assertEquals("id:acme-447700900301\u2400 sub:001 dlvrd:001\u2400stat:DELIVRD\u2400err:000 text:he\u2400llo", body,
                "each NUL kept visible as U+2400 (trailing NULs, the C terminator, are trimmed as always)");
    }

    @Test
    void anIdTooLongForAnyMessageIsRefusedAndTheReceiptsAroundItAreStored() throws Exception {
        // An id of 10,000 characters (message_payload allows it) can match no message and, as an orphan, would
        // not fit PostgreSQL's index: refused by the parser, it never reaches a batch.
        gw = GatewayHarness.start(CARRIERS);
        TestCarrier acme = bindAcme();
        List<Long> ids = submittedSingles(20, 600);
        DeliverSm poison = TestCarrier.receipt("");
        poison.setShortMessage(new byte[0]);
        poison.addOptionalParameter(new Tlv(SmppConstants.TAG_MESSAGE_PAYLOAD,
                text(randomId(10_000), "DELIVRD", "000").getBytes(StandardCharsets.ISO_8859_1)));
        List<Integer> answers = sendTogether(acme, poison, 20, 600);
        assertEquals(SmppConstants.STATUS_X_P_APPN, answers.get(0), "the over-long id is refused for good");
        assertEquals(java.util.Collections.nCopies(20, SmppConstants.STATUS_OK), answers.subList(1, answers.size()));
        for (long id : ids) {
            assertEquals("delivered", message(id).getString("tab"));
        }
        assertEquals(20, gw.count("select count(*) from receipts"));
    }

    @Test
    void aReceiptTheDatabaseRefusesIsRefusedAloneAndTheOthersInItsBatchAreStored() throws Exception {
        // Whatever the database may refuse one day (here a trigger raising a data exception for one receipt, as
        // a new constraint or an unforeseen value would): without isolation every receipt batched with it would
        // be throttled, again at each retry, for ever.
        gw = GatewayHarness.start(CARRIERS);
        try (java.sql.Connection c = gw.db().database().connection(); java.sql.Statement st = c.createStatement()) {
            st.execute("create function poison() returns trigger language plpgsql as $$ begin "
                    + "if new.body like '%POISON%' then raise exception 'refused for the test' using errcode = '22023'; "
                    + "end if; return new; end $$");
            st.execute("create trigger poison before insert on receipts for each row execute function poison()");
        }
        TestCarrier acme = bindAcme();
        List<Long> ids = submittedSingles(40, 700);
        long poisoned = sendSingle("+447700900799");
        awaitSubmitted(poisoned);
        DeliverSm poison = TestCarrier.receipt("id:acme-447700900799 sub:001 dlvrd:001 stat:DELIVRD err:000 text:POISON");
        List<Integer> answers = sendTogether(acme, poison, 40, 700);
        assertEquals(SmppConstants.STATUS_X_P_APPN, answers.get(0), "the refused receipt is refused for good");
        assertEquals(java.util.Collections.nCopies(40, SmppConstants.STATUS_OK), answers.subList(1, answers.size()),
                "every receipt batched with it is stored");
        for (long id : ids) {
            assertEquals("delivered", message(id).getString("tab"));
        }
        assertEquals("pending", message(poisoned).getString("tab"), "nothing of the refused receipt was applied");
        assertEquals(40, gw.count("select count(*) from receipts"), "the 40 good receipts, each once");
        String metrics = gw.get("/metrics").body();
        assertTrue(metrics.contains("dlrgate_receipts_refused_total{carrier=\"acme\"} 1.0"), "counted as refused");
        // Intake goes on afterwards.
        long later = sendSingle("+447700900798");
        awaitSubmitted(later);
        assertEquals(SmppConstants.STATUS_OK, status(acme.sendDeliverSm(receipt("acme-447700900798", "DELIVRD", "000"))));
    }

    @Test
    void anOrphanLeftOpenThoughItsIdIsKnownIsMatchedByTheBackstop() throws Exception {
        // What another gateway process sharing the database can leave behind: an orphan stored at the moment
        // this process learnt its id, so the normal matching never saw it. Made here by writing the rows directly.
        gw = GatewayHarness.start(CARRIERS);
        bindAcme();
        long id = sendSingle("+447700900951");
        awaitSubmitted(id);
        try (java.sql.Connection c = gw.db().database().connection(); java.sql.Statement st = c.createStatement()) {
            // The re-match waits 30 s before taking an orphan, so the receipt is 2 minutes old, and the message
            // older still: a receipt from before its message existed is never matched to it (causality).
            st.execute("update messages set created_at = created_at - interval '5 minutes' where id = " + id);
            st.execute("insert into receipts (id, received_at, carrier_id, command, esm_class, receipted_id_raw, "
                    + "receipted_id, stat, err, intermediate, body, outcome) values (nextval('receipts_id_seq'), "
                    + "now() - interval '2 minutes', 'acme', 'deliver_sm', 4, 'acme-447700900951', 'acme-447700900951', "
                    + "'DELIVRD', '000', false, 'id:acme-447700900951 stat:DELIVRD err:000', 'orphan')");
            st.execute("insert into orphan_receipts (receipt_id, carrier_id, receipted_id, received_at) "
                    + "select id, carrier_id, receipted_id, received_at from receipts where outcome = 'orphan'");
        }
        assertEquals("pending", message(id).getString("tab"));

        assertEquals(1, gw.gateway().orphans().rematch());
        JsonObject m = awaitTab(id, "delivered");
        assertEquals("DELIVRD", m.getString("stat"));
        assertEquals(0, gw.count("select count(*) from orphan_receipts where matched_at is null"));
        assertEquals(1, gw.count("select count(*) from receipts where message_id = " + id));
        assertEquals(0, gw.gateway().orphans().rematch(), "nothing left to re-match");
    }

    /** {@code n} single sends to +4477009 00{base+i}, each awaited until submitted. */
    private List<Long> submittedSingles(int n, int base) throws Exception {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(sendSingle("+447700900" + (base + i)));
        }
        for (long id : ids) {
            awaitSubmitted(id);
        }
        return ids;
    }

    /**
     * Sends {@code first} and a DELIVRD receipt for each of the {@code n} numbers from {@code base} all at once
     * (so that they share batches) and returns the answers' statuses, {@code first}'s first.
     */
    private static List<Integer> sendTogether(TestCarrier carrier, DeliverSm first, int n, int base) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n + 1);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new ArrayList<>();
            answers.add(pool.submit(() -> status(carrier.sendDeliverSm(first, Duration.ofSeconds(20)))));
            for (int i = 0; i < n; i++) {
                String number = "447700900" + (base + i);
                answers.add(pool.submit(() -> status(carrier.sendDeliverSm(receipt("acme-" + number, "DELIVRD", "000"),
                        Duration.ofSeconds(20)))));
            }
            List<Integer> out = new ArrayList<>();
            for (java.util.concurrent.Future<Integer> f : answers) {
                out.add(f.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Random letters and digits: a repeated character would compress small enough to fit an index. */
    private static String randomId(int length) {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(random.nextInt(36)));
        }
        return out.toString();
    }
}
