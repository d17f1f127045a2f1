package io.dlrgate.gateway.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.ReceiptStreamer;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A 10,000-contact campaign of 3-part messages over loopback SMPP and PostgreSQL: 30,000 submits, one id each,
 * receipts per part streamed by a second carrier session (shuffled by part: the last part's receipts go first),
 * and every message's tab checked exactly against what its parts' outcomes give by the parts rule, as are the
 * campaign's counts (per message) and its parts figure.
 */
class CampaignOfPartsTest {

    static final int CONTACTS = 10_000;
    static final String CONFIG = """
            carriers:
              - id: bulk
                system_id: bulk
                password: bulk-pw
                prefixes: ["+44"]
                max_binds: 8
                window_size: 500
                max_submit_rate: 100000
            """;
    /** 3 parts of GSM-7 (153 + 153 + the rest). */
    static final String CONTENT = "Spring sale: every item 20% off until Sunday, show this text in store. "
            .repeat(6).substring(0, 400);

    GatewayHarness gw;
    TestCarrier carrier;
    ReceiptStreamer streamer;

    @AfterEach
    void stop() {
        if (streamer != null) {
            streamer.close();
        }
        if (carrier != null) {
            carrier.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    static String number(int i) {
        return String.format("+4477009%05d", i);
    }

    /**
     * The outcome of each part of contact i (null: no receipt ever), and so the message's tab by the rule.
     * i % 10: 0 part 2 UNDELIV; 1 part 3 never; 2 part 1 EXPIRED; 3 part 2 DELETED; 4 part 1 DELETED and part 3
     * UNDELIV (hard bounce wins); else all delivered.
     */
    static String stat(int i, int part) {
        return switch (i % 10) {
            case 0 -> part == 2 ? "UNDELIV" : "DELIVRD";
            case 1 -> part == 3 ? null : "DELIVRD";
            case 2 -> part == 1 ? "EXPIRED" : "DELIVRD";
            case 3 -> part == 2 ? "DELETED" : "DELIVRD";
            case 4 -> part == 1 ? "DELETED" : part == 3 ? "UNDELIV" : "DELIVRD";
            default -> "DELIVRD";
        };
    }

    static String expectedTab(int i) {
        return switch (i % 10) {
            case 0, 4 -> "hard-bounces";
            case 1 -> "pending";
            case 2 -> "soft-bounces";
            case 3 -> "deleted";
            default -> "delivered";
        };
    }

    @Test
    void everyMessageLandsWhereItsPartsSay() throws Exception {
        gw = GatewayHarness.start(CONFIG);
        AtomicLong ids = new AtomicLong();
        Map<String, String> idOf = new ConcurrentHashMap<>(); // "number/part" -> carrier id
        carrier = TestCarrier.to(gw.smppPort()).systemId("bulk").password("bulk-pw").bindType(BindType.TRANSCEIVER)
                .windowSize(500).onSubmit(s -> {
                    String id = "p" + ids.incrementAndGet();
                    idOf.put("+" + s.getDestAddress().getAddress() + "/" + s.getShortMessage()[5], id);
                    return TestCarrier.SubmitAnswer.ok(id);
                }).bind();

        HttpResponse<String> created = gw.post("/api/v1/campaigns", new JsonObject().put("name", "parts")
                .put("content", CONTENT).put("createdBy", "qa").encode());
        assertEquals(201, created.statusCode(), created.body());
        long campaign = new JsonObject(created.body()).getLong("id");
        JsonArray contacts = new JsonArray();
        for (int i = 0; i < CONTACTS; i++) {
            contacts.add(number(i));
        }
        HttpResponse<String> sent = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", contacts).put("sentBy", "qa").encode());
        assertEquals(202, sent.statusCode(), sent.body());

        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                .until(() -> gw.count("select count(*) from messages where campaign_id = " + campaign
                        + " and dispatch_state = 'submitted'") == CONTACTS);
        assertEquals(3 * CONTACTS, carrier.submitCount(), "three parts a message, none sent twice");

        // Last parts first, then the others: receipts of one message arrive out of order.
        List<ReceiptStreamer.Receipt> receipts = new ArrayList<>();
        for (int part = 3; part >= 1; part--) {
            for (int i = 0; i < CONTACTS; i++) {
                String stat = stat(i, part);
                if (stat != null) {
                    receipts.add(new ReceiptStreamer.Receipt(idOf.get(number(i) + "/" + part), stat));
                }
            }
        }
        streamer = ReceiptStreamer.to(gw.smppPort()).systemId("bulk").password("bulk-pw").sessions(4).window(100)
                .start(receipts);
        assertTrue(streamer.awaitDone(Duration.ofSeconds(120)), streamer.figures());
        assertEquals(receipts.size(), streamer.ackedOkCount());

        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < CONTACTS; i++) {
            expected.put(number(i), expectedTab(i));
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> tabs(campaign).equals(expected));

        JsonObject report = new JsonObject(gw.get("/api/v1/campaigns/" + campaign + "/report").body());
        JsonObject tabs = report.getJsonObject("tabs");
        assertEquals(5_000, tabs.getLong("delivered"), report.encode());
        assertEquals(2_000, tabs.getLong("hard-bounces"));
        assertEquals(1_000, tabs.getLong("soft-bounces"));
        assertEquals(1_000, tabs.getLong("deleted"));
        assertEquals(1_000, tabs.getLong("pending"));
        assertEquals(CONTACTS, report.getLong("sent"), "counts stay per message");
        JsonObject parts = report.getJsonObject("parts");
        assertEquals(CONTACTS, parts.getLong("messages"));
        assertEquals(3 * CONTACTS, parts.getLong("total"));
        assertEquals(24_000, parts.getLong("delivered"));
        assertEquals(2_000, parts.getLong("failed"));
        assertEquals(2_000, parts.getLong("deleted"));
        assertEquals(1_000, parts.getLong("expired"));
        assertEquals(1_000, parts.getLong("pending"));
        assertEquals(0, gw.count("select count(*) from orphan_receipts where matched_at is null"));

        // Tab rows show the parts too: contact 0 (part 2 UNDELIV) is the first hard bounce, contact 4 the second.
        JsonArray hard = new JsonObject(gw.get("/api/v1/campaigns/" + campaign + "/report/hard-bounces?limit=2")
                .body()).getJsonArray("items");
        assertEquals("1 of 3 parts failed: UNDELIV err 001", hard.getJsonObject(0).getString("reason"), hard.encode());
        assertEquals(1, hard.getJsonObject(0).getJsonObject("parts").getInteger("failed"));
        assertEquals("1 of 3 parts failed: UNDELIV err 001", hard.getJsonObject(1).getString("reason"));
        assertEquals(1, hard.getJsonObject(1).getJsonObject("parts").getInteger("deleted"));
    }

    /** Each contact's tab, read from the store. */
    Map<String, String> tabs(long campaign) throws Exception {
        Map<String, String> out = new HashMap<>();
        try (Connection c = gw.db().database().dataSource().getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select recipient, tab from messages where campaign_id = " + campaign)) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
