package io.dlrgate.gateway.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.pdu.SubmitSm;
import com.cloudhopper.smpp.type.Address;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sender ids end to end: the {@code from} of a single send or a campaign, checked at the door, arrives at a carrier
 * bound over loopback as source_addr with the TON/NPI of its form (or the carrier's override), and the reports show
 * it. A sender a carrier does not allow, or that is no sender at all, is refused with nothing queued.
 */
class SenderIdsTest {

    /** alpha takes any sender; beta only two, and overrides TON/NPI; gamma only one number. */
    static final String CONFIG = """
            carriers:
              - id: alpha
                system_id: alpha
                password: alpha-pw
                prefixes: ["+44"]
                max_submit_rate: 20000
              - id: beta
                system_id: beta
                password: beta-pw
                prefixes: ["+33"]
                max_submit_rate: 20000
                senders: [Acme, "60123"]
                source_ton: 0
                source_npi: 1
              - id: gamma
                system_id: gamma
                password: gamma-pw
                prefixes: ["+49"]
                max_submit_rate: 20000
                senders: ["+447700900999"]
            """;

    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();
    final AtomicLong ids = new AtomicLong();

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(CONFIG);
    }

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    TestCarrier bind(String systemId) {
        TestCarrier c = TestCarrier.to(gw.smppPort()).systemId(systemId).password(systemId + "-pw")
                .bindType(BindType.TRANSCEIVER).onSubmit(s -> TestCarrier.SubmitAnswer.ok("id-" + ids.incrementAndGet()))
                .bind();
        carriers.add(c);
        return c;
    }

    HttpResponse<String> sendSingle(String to, String from) throws Exception {
        JsonObject body = new JsonObject().put("to", to).put("content", "Your code is 4711");
        if (from != null) {
            body.put("from", from);
        }
        return gw.post("/api/v1/messages", body.encode());
    }

    long queued(String to, String from) throws Exception {
        HttpResponse<String> r = sendSingle(to, from);
        assertEquals(202, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    /** source_addr of each submit, by destination. */
    static Map<String, Address> sources(List<TestCarrier.ReceivedSubmit> submits) {
        Map<String, Address> out = new HashMap<>();
        for (TestCarrier.ReceivedSubmit s : submits) {
            SubmitSm pdu = s.pdu();
            out.put(pdu.getDestAddress().getAddress(), pdu.getSourceAddress());
        }
        return out;
    }

    static void assertAddress(Address actual, String address, int ton, int npi) {
        assertEquals(address, actual.getAddress(), "source_addr");
        assertEquals(ton, actual.getTon(), "source_addr_ton of " + address);
        assertEquals(npi, actual.getNpi(), "source_addr_npi of " + address);
    }

    @Test
    void eachSenderFormArrivesWithTheTonAndNpiOfItsForm() throws Exception {
        TestCarrier alpha = bind("alpha");
        long alnum = queued("+447700900001", "Acme Shop");
        queued("+447700900002", "60123");
        queued("+447700900003", "+447700900999");
        queued("+447700900004", null);

        Map<String, Address> got = sources(alpha.awaitSubmits(4, Duration.ofSeconds(30)));
        assertAddress(got.get("447700900001"), "Acme Shop", 5, 0);
        assertAddress(got.get("447700900002"), "60123", 3, 0);
        assertAddress(got.get("447700900003"), "447700900999", 1, 1);
        assertAddress(got.get("447700900004"), "DLRGATE", 5, 0);

        // The reports show whom each was sent from: the message, the single sends list and its CSV.
        assertEquals("Acme Shop", new JsonObject(gw.get("/api/v1/messages/" + alnum).body()).getString("from"));
        assertEquals("Acme Shop", new JsonObject(gw.get("/api/v1/single-sends/" + alnum).body()).getString("from"));
        JsonArray items = new JsonObject(gw.get("/api/v1/single-sends").body()).getJsonArray("items");
        Map<String, String> fromByNumber = new HashMap<>();
        items.forEach(o -> fromByNumber.put(((JsonObject) o).getString("number"), ((JsonObject) o).getString("from")));
        assertEquals(Map.of("+447700900001", "Acme Shop", "+447700900002", "60123",
                "+447700900003", "+447700900999", "+447700900004", "DLRGATE"), fromByNumber);
        String csv = gw.get("/api/v1/single-sends?format=csv").body();
        assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",sender"), csv);
        assertTrue(csv.contains(",+447700900999\r\n") || csv.contains(",+447700900999\n")
                || csv.contains("\"+447700900999\""), csv);
    }

    @Test
    void theCarriersTonAndNpiOverrideTheForms() throws Exception {
        TestCarrier beta = bind("beta");
        queued("+33612345671", "Acme");
        queued("+33612345672", "60123");
        Map<String, Address> got = sources(beta.awaitSubmits(2, Duration.ofSeconds(30)));
        assertAddress(got.get("33612345671"), "Acme", 0, 1);
        assertAddress(got.get("33612345672"), "60123", 0, 1);
    }

    @Test
    void aCampaignSendsFromItsSenderAndItsReportShowsIt() throws Exception {
        TestCarrier alpha = bind("alpha");
        TestCarrier beta = bind("beta");
        HttpResponse<String> created = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Spring sale")
                .put("content", "20% off").put("createdBy", "ana").put("from", "60123").encode());
        assertEquals(201, created.statusCode(), created.body());
        JsonObject campaign = new JsonObject(created.body());
        assertEquals("60123", campaign.getString("from"));
        assertFalse(campaign.getBoolean("fromDefault"));
        long id = campaign.getLong("id");

        HttpResponse<String> sent = gw.post("/api/v1/campaigns/" + id + "/sends", new JsonObject()
                .put("contacts", List.of("+447700900101", "+33612345601")).put("sentBy", "ana").encode());
        assertEquals(202, sent.statusCode(), sent.body());
        assertEquals("60123", new JsonObject(sent.body()).getString("from"));
        assertAddress(sources(alpha.awaitSubmits(1, Duration.ofSeconds(30))).get("447700900101"), "60123", 3, 0);
        assertAddress(sources(beta.awaitSubmits(1, Duration.ofSeconds(30))).get("33612345601"), "60123", 0, 1);

        assertEquals("60123", new JsonObject(gw.get("/api/v1/campaigns/" + id + "/report").body()).getString("from"));
        JsonArray pending = new JsonObject(gw.get("/api/v1/campaigns/" + id + "/report/pending").body())
                .getJsonArray("items");
        assertEquals(2, pending.size());
        pending.forEach(o -> assertEquals("60123", ((JsonObject) o).getString("from")));
        String csv = gw.get("/api/v1/campaigns/" + id + "/report/pending?format=csv").body();
        assertTrue(csv.lines().findFirst().orElseThrow().endsWith(",sender"), csv);
        assertEquals(2, csv.lines().skip(1).filter(l -> l.endsWith(",60123")).count(), csv);

        // A campaign without a sender sends from the configured default, and says so.
        JsonObject plain = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Plain")
                .put("content", "hi").put("createdBy", "ana").encode()).body());
        assertEquals("DLRGATE", plain.getString("from"));
        assertTrue(plain.getBoolean("fromDefault"));
    }

    @Test
    void aSingleSendFromASenderItsCarrierDoesNotAllowIsRefusedWithNothingQueued() throws Exception {
        TestCarrier beta = bind("beta");
        HttpResponse<String> r = sendSingle("+33612345678", "Other");
        assertEquals(400, r.statusCode(), r.body());
        JsonObject error = new JsonObject(r.body());
        assertEquals("from", error.getString("field"));
        assertTrue(error.getString("error").contains("sender \"Other\" is not allowed by carrier beta"), r.body());
        assertTrue(error.getString("error").contains("[Acme, 60123]"), r.body());
        assertEquals(0, gw.count("select count(*) from messages"));
        assertEquals(0, beta.submitCount());
    }

    @Test
    void aCampaignIsRefusedWholeWhenAnyRoutedCarrierDisallowsItsSender() throws Exception {
        HttpResponse<String> created = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Spring sale")
                .put("content", "20% off").put("createdBy", "ana").put("from", "Acme").encode());
        long id = new JsonObject(created.body()).getLong("id");
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + id + "/sends", new JsonObject()
                .put("contacts", List.of("+447700900201", "+33612345602", "+4915112345601", "+4915112345602"))
                .put("sentBy", "ana").encode());
        assertEquals(400, r.statusCode(), r.body());
        JsonObject error = new JsonObject(r.body());
        assertEquals("from", error.getString("field"));
        assertTrue(error.getString("error").contains("sender \"Acme\" is not allowed by carrier gamma (2 numbers)"),
                r.body());
        assertEquals(0, gw.count("select count(*) from messages"));
        assertEquals(0, gw.count("select count(*) from campaign_sends"));
    }

    @Test
    void senderFormsThatAreNoSenderAreRefusedNamingTheSenderAndTheRule() throws Exception {
        Map<String, String> cases = Map.of(
                "Acme Shop 12", "sender \"Acme Shop 12\" is 12 characters; an alphanumeric sender has at most 11",
                "Café", "sender \"Café\" holds characters an alphanumeric sender cannot carry",
                "", "sender is empty",
                "12", "sender \"12\" is 2 digits: a short code has 3 to 8",
                "+44 7700", "sender \"+44 7700\" is not an international number");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = sendSingle("+447700900301", c.getKey());
            assertEquals(400, r.statusCode(), r.body());
            JsonObject error = new JsonObject(r.body());
            assertEquals("from", error.getString("field"));
            assertTrue(error.getString("error").contains(c.getValue()), r.body());
        }
        HttpResponse<String> campaign = gw.post("/api/v1/campaigns", new JsonObject().put("name", "x")
                .put("content", "hi").put("createdBy", "ana").put("from", "Acme Shop 12").encode());
        assertEquals(400, campaign.statusCode(), campaign.body());
        assertEquals("from", new JsonObject(campaign.body()).getString("field"));
        assertEquals(0, gw.count("select count(*) from messages"));
        assertEquals(0, gw.count("select count(*) from campaigns"));
    }
}
