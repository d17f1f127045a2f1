package io.dlrgate.gateway.report;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The report API against a store filled through the real send path (HTTP API, dispatcher, SMPP submit) and the
 * real receipt path (deliver_sm from a bound carrier): every figure equals what was sent and received.
 */
class ReportApiTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static GatewayHarness gw;
    static TestCarrier acme;
    static long spring;
    static long autumn;
    static long quiet;
    static final List<Long> singles = new ArrayList<>();

    static final String LONG_CONTENT = "Your parcel from Example Stores is out for delivery today between nine and "
            + "eleven; reply STOP to opt out of these updates";

    @BeforeAll
    static void seed() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"], max_submit_rate: 20000}
                """);
        acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress())).bind();

        spring = campaign("Spring sale", "ana");
        autumn = campaign("Autumn, \"late\" offers", "bob");
        quiet = campaign("Quiet one", "cy");
        gw.put("/api/v1/campaigns/" + autumn, new JsonObject().put("modifiedBy", "dee").encode());

        send(spring, List.of("+447700900001", "+447700900002", "+447700900003", "+447700900004", "+447700900005"));
        // A second send of Spring: one number again, one new: 7 sent, 6 unique numbers.
        send(spring, List.of("+447700900001", "+447700900006"));
        send(autumn, List.of("+447700900101", "+447700900102", "+447700900103"));
        // Edited after its send: the report still shows the text that was sent.
        gw.put("/api/v1/campaigns/" + autumn, new JsonObject().put("modifiedBy", "dee")
                .put("content", "Edited after the send").encode());
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where dispatch_state = 'submitted'") == 10);

        // Receipts. Two messages to +447700900001 share a carrier id, so that number's receipt is not sent here.
        receipt("acme-447700900002", "DELIVRD", "000");
        receipt("acme-447700900003", "UNDELIV", "001");
        receipt("acme-447700900004", "EXPIRED", "000");
        receipt("acme-447700900005", "DELETED", "000");
        receipt("acme-447700900006", "DELIVRD", "000");
        receipt("acme-447700900101", "DELIVRD", "000");
        receipt("acme-447700900102", "REJECTD", "002");

        singles.add(single("+447700900201", "api", LONG_CONTENT));
        singles.add(single("+447700900202", "ui", "Short and sweet"));
        singles.add(single("+447700900203", "program", "Your code is 1234"));
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where dispatch_state = 'submitted'") == 13);
        receipt("acme-447700900202", "DELIVRD", "000");
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where tab = 'delivered'") == 4);
    }

    @AfterAll
    static void down() {
        if (acme != null) {
            acme.close();
        }
        gw.close();
    }

    static long campaign(String name, String by) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", name)
                .put("content", "Hello from " + name).put("createdBy", by).encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    static void send(long campaign, List<String> contacts) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", contacts).put("sentBy", "qa").encode());
        assertEquals(202, r.statusCode(), r.body());
    }

    static long single(String to, String source, String content) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/messages", new JsonObject().put("to", to).put("content", content)
                .put("source", source).encode());
        assertEquals(202, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    static void receipt(String id, String stat, String err) throws Exception {
        String dlvrd = "DELIVRD".equals(stat) ? "001" : "000";
        assertEquals(SmppConstants.STATUS_OK, acme.sendDeliverSm(TestCarrier.receipt("id:" + id + " sub:001 dlvrd:"
                + dlvrd + " submit date:2401011200 done date:2401011205 stat:" + stat + " err:" + err + " text:x"))
                .getCommandStatus());
    }

    static JsonObject getJson(String path) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return new JsonObject(r.body());
    }

    static JsonObject byId(JsonArray items, long id) {
        for (Object o : items) {
            if (((JsonObject) o).getLong("id") == id) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError("no item " + id + " in " + items.encode());
    }

    static void assertBadRequest(String path, String field) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(400, r.statusCode(), path + " -> " + r.body());
        assertEquals(field, new JsonObject(r.body()).getString("field"), r.body());
    }

    // ---------------------------------------------------------------- campaign list

    @Test
    void campaignListFiguresEqualWhatWasSentAndReceived() throws Exception {
        JsonObject list = getJson("/api/v1/campaigns");
        assertEquals(3, list.getLong("total"));
        JsonObject s = byId(list.getJsonArray("items"), spring);
        assertEquals("Spring sale", s.getString("name"));
        assertEquals("ana", s.getString("lastModifiedBy"));
        assertEquals(7, s.getLong("sent"));
        assertEquals(2, s.getLong("delivered"));
        assertNull(s.getValue("totalClicks"), "link tracking is off: no click figures");
        assertTrue(s.getString("lastSentAt") != null);
        JsonObject a = byId(list.getJsonArray("items"), autumn);
        assertEquals("dee", a.getString("lastModifiedBy"));
        assertEquals(3, a.getLong("sent"));
        assertEquals(1, a.getLong("delivered"));
        JsonObject q = byId(list.getJsonArray("items"), quiet);
        assertEquals(0, q.getLong("sent"));
        assertNull(q.getString("lastSentAt"));
        // default order: last sent, newest first, never-sent last
        assertEquals(quiet, list.getJsonArray("items").getJsonObject(2).getLong("id"));
    }

    @Test
    void campaignListSortsPagesAndSearches() throws Exception {
        JsonArray byName = getJson("/api/v1/campaigns?sort=name").getJsonArray("items");
        assertEquals(List.of(autumn, quiet, spring), ids(byName));
        assertEquals(List.of(spring, quiet, autumn), ids(getJson("/api/v1/campaigns?sort=name&order=desc")
                .getJsonArray("items")));
        assertEquals(List.of(spring, autumn, quiet), ids(getJson("/api/v1/campaigns?sort=sent&order=desc")
                .getJsonArray("items")));
        assertEquals(List.of(quiet, autumn, spring), ids(getJson("/api/v1/campaigns?sort=delivered&order=asc")
                .getJsonArray("items")));
        // Autumn 1/3 delivered, Spring 2/7; never sent (no rate) last either way.
        assertEquals(List.of(autumn, spring, quiet), ids(getJson("/api/v1/campaigns?sort=deliveryRate")
                .getJsonArray("items")));
        assertEquals(List.of(spring, autumn, quiet), ids(getJson("/api/v1/campaigns?sort=deliveryRate&order=asc")
                .getJsonArray("items")));
        JsonObject page2 = getJson("/api/v1/campaigns?sort=name&limit=1&offset=1");
        assertEquals(List.of(quiet), ids(page2.getJsonArray("items")));
        assertEquals(3, page2.getLong("total"));
        JsonObject found = getJson("/api/v1/campaigns?search=SALE");
        assertEquals(List.of(spring), ids(found.getJsonArray("items")));
        assertEquals(1, found.getLong("total"));
        // LIKE wildcards are searched for literally
        assertEquals(0, getJson("/api/v1/campaigns?search=%25").getLong("total"));
        assertEquals(0, getJson("/api/v1/campaigns?search=_").getLong("total"));
    }

    static List<Long> ids(JsonArray items) {
        List<Long> out = new ArrayList<>();
        items.forEach(o -> out.add(((JsonObject) o).getLong("id")));
        return out;
    }

    // ---------------------------------------------------------------- campaign report

    @Test
    void reportOverviewCountsTabsAndUniqueSends() throws Exception {
        JsonObject r = getJson("/api/v1/campaigns/" + spring + "/report");
        JsonObject tabs = r.getJsonObject("tabs");
        assertEquals(2, tabs.getLong("delivered"));
        assertEquals(2, tabs.getLong("pending"));
        assertEquals(1, tabs.getLong("soft-bounces"));
        assertEquals(1, tabs.getLong("hard-bounces"));
        assertEquals(1, tabs.getLong("deleted"));
        assertEquals(7, r.getLong("sent"));
        assertEquals(6, r.getLong("uniqueSends"));
        assertEquals(2, r.getLong("sends"));
        assertEquals(0, r.getJsonArray("links").size());
    }

    @Test
    void reportRatesAreFractionsOfSentAndShowTheTextSent() throws Exception {
        JsonObject r = getJson("/api/v1/campaigns/" + spring + "/report");
        JsonObject tabs = r.getJsonObject("tabs");
        JsonObject rates = r.getJsonObject("rates");
        assertEquals(tabs.fieldNames(), rates.fieldNames(), "a rate per tab, keyed like the counts");
        // One key style for a tab wherever the report names one (tabs, rates, timeline, ?tab=, events): its slug.
        assertEquals(List.of("delivered", "pending", "soft-bounces", "hard-bounces", "deleted"),
                List.copyOf(rates.fieldNames()), rates.encode());
        for (String tab : tabs.fieldNames()) {
            assertEquals(tabs.getLong(tab) / 7.0, rates.getDouble(tab), 1e-12, tab);
        }
        assertEquals(2 / 7.0, r.getDouble("deliveryRate"), 1e-12);
        assertEquals(2 / 7.0, rates.getDouble("delivered"), 1e-12);
        assertEquals("Hello from Spring sale", r.getString("sentContent"));
        assertEquals("Hello from Autumn, \"late\" offers", getJson("/api/v1/campaigns/" + autumn + "/report")
                .getString("sentContent"), "the text sent, not the campaign's later edit");
        JsonObject never = getJson("/api/v1/campaigns/" + quiet + "/report");
        assertNull(never.getValue("deliveryRate"), "no rate of nothing sent");
        assertNull(never.getJsonObject("rates").getValue("delivered"));
        assertNull(never.getValue("sentContent"));

        JsonObject list = getJson("/api/v1/campaigns");
        assertEquals(2 / 7.0, byId(list.getJsonArray("items"), spring).getDouble("deliveryRate"), 1e-12);
        assertEquals(1 / 3.0, byId(list.getJsonArray("items"), autumn).getDouble("deliveryRate"), 1e-12);
        assertNull(byId(list.getJsonArray("items"), quiet).getValue("deliveryRate"));
    }

    @Test
    void timelineEndsAtTheTabCountsAndBoundsItsBuckets() throws Exception {
        JsonObject counts = getJson("/api/v1/campaigns/" + spring + "/report").getJsonObject("tabs");
        for (String path : List.of("/timeline", "/timeline?bucket=PT1S", "/timeline?bucket=P1D")) {
            JsonObject t = getJson("/api/v1/campaigns/" + spring + path);
            JsonArray buckets = t.getJsonArray("buckets");
            assertTrue(!buckets.isEmpty() && buckets.size() <= 500, path + ": " + buckets.size());
            JsonObject last = buckets.getJsonObject(buckets.size() - 1).getJsonObject("tabs");
            assertEquals(counts, last, path + ": the last bucket holds the tabs' counts");
            assertTrue(t.getString("start") != null && t.getLong("bucketSeconds") > 0, t.encode());
            long before = 0;
            for (Object o : buckets) {
                JsonObject tabs = ((JsonObject) o).getJsonObject("tabs");
                long queued = tabs.fieldNames().stream().mapToLong(tabs::getLong).sum();
                assertTrue(queued >= before && tabs.fieldNames().stream().allMatch(k -> tabs.getLong(k) >= 0),
                        path + ": " + buckets.encode());
                before = queued;
            }
        }
        assertEquals(1, getJson("/api/v1/campaigns/" + spring + "/timeline?bucket=P1D").getJsonArray("buckets")
                .size());
        JsonObject never = getJson("/api/v1/campaigns/" + quiet + "/timeline");
        assertNull(never.getValue("start"));
        assertEquals(0, never.getJsonArray("buckets").size());
        assertBadRequest("/api/v1/campaigns/" + spring + "/timeline?bucket=often", "bucket");
        assertBadRequest("/api/v1/campaigns/" + spring + "/timeline?bucket=PT0.1S", "bucket");
        assertBadRequest("/api/v1/campaigns/" + spring + "/timeline?bucket=-PT1M", "bucket");
        assertEquals(404, gw.get("/api/v1/campaigns/999999/timeline").statusCode());
    }

    @Test
    void tabPagesListContactsWithErrorClassAndSearchByNumber() throws Exception {
        JsonObject hard = getJson("/api/v1/campaigns/" + spring + "/report/hard-bounces");
        assertEquals(1, hard.getJsonArray("items").size());
        JsonObject row = hard.getJsonArray("items").getJsonObject(0);
        assertEquals("+447700900003", row.getString("number"));
        assertEquals("GB", row.getString("country"));
        assertEquals("UNDELIV", row.getString("stat"));
        assertEquals("001", row.getString("error"));
        // errorClass: the class stored with the failure (as GET /api/v1/messages/{id} shows it); cause: why.
        assertEquals("permanent", row.getString("errorClass"));
        assertEquals(getJson("/api/v1/messages/" + row.getLong("messageId")).getString("errorClass"),
                row.getString("errorClass"));
        assertEquals("receipt", row.getString("cause"));
        assertEquals(Boolean.TRUE, row.getBoolean("countsTowardSuppression"), "a permanent UNDELIV counts");
        assertEquals(getJson("/api/v1/settings").getString("rule"), hard.getString("suppressionRule"));
        assertEquals("acme", row.getString("carrier"), "the carrier that took the message");
        assertTrue(row.getString("sentAt") != null && row.getString("finalAt") != null, row.encode());
        JsonObject soft = getJson("/api/v1/campaigns/" + spring + "/report/soft-bounces")
                .getJsonArray("items").getJsonObject(0);
        assertEquals("transient", soft.getString("errorClass"), "an EXPIRED receipt is a transient failure");
        assertEquals("receipt", soft.getString("cause"));
        assertEquals(Boolean.FALSE, soft.getBoolean("countsTowardSuppression"), "a transient failure never counts");
        JsonObject ok = getJson("/api/v1/campaigns/" + spring + "/report/delivered").getJsonArray("items")
                .getJsonObject(0);
        assertNull(ok.getString("errorClass"));
        assertNull(ok.getString("cause"));
        assertNull(ok.getValue("countsTowardSuppression"), "not failed");

        JsonArray delivered = getJson("/api/v1/campaigns/" + spring + "/report/delivered?number=0006")
                .getJsonArray("items");
        assertEquals(1, delivered.size());
        assertEquals("+447700900006", delivered.getJsonObject(0).getString("number"));
        assertEquals(0, getJson("/api/v1/campaigns/" + spring + "/report/delivered?number=%2B33")
                .getJsonArray("items").size());
        JsonObject paged = getJson("/api/v1/campaigns/" + spring + "/report/pending?limit=1");
        assertEquals(1, paged.getJsonArray("items").size());
        // total: the whole tab (all pages), narrowed by the number search like the rows.
        assertEquals(getJson("/api/v1/campaigns/" + spring + "/report").getJsonObject("tabs").getLong("pending"),
                paged.getLong("total"));
        assertTrue(paged.getLong("total") > 1, "pending spans pages");
        assertEquals(1L, getJson("/api/v1/campaigns/" + spring + "/report/delivered?number=0006").getLong("total"));
        assertEquals(0L, getJson("/api/v1/campaigns/" + spring + "/report/delivered?number=%2B33").getLong("total"));
        JsonObject next = getJson(paged.getString("next"));
        assertEquals(1, next.getJsonArray("items").size());
        assertEquals("+447700900001", next.getJsonArray("items").getJsonObject(0).getString("number"));
    }

    // ---------------------------------------------------------------- single sends

    @Test
    void singleSendsListFiltersAndPreview() throws Exception {
        JsonArray all = getJson("/api/v1/single-sends").getJsonArray("items");
        assertEquals(3, all.size(), "campaign messages are not single sends");
        assertEquals(singles.get(2), all.getJsonObject(0).getLong("id"), "newest first");
        JsonObject api = byId(all, singles.get(0));
        assertEquals("api", api.getString("source"));
        assertEquals("GB", api.getString("country"));
        assertEquals("+447700900201", api.getString("number"));
        String start = api.getString("contentStart");
        assertTrue(start.endsWith("…") && start.length() <= 61, start);
        assertTrue(LONG_CONTENT.startsWith(start.substring(0, start.length() - 1)), start);
        assertTrue(LONG_CONTENT.charAt(start.length() - 1) == ' ', "cut on a word: " + start);

        assertEquals(List.of(singles.get(1)), ids(getJson("/api/v1/single-sends?tab=delivered").getJsonArray("items")));
        assertEquals(List.of(singles.get(2)), ids(getJson("/api/v1/single-sends?source=program").getJsonArray("items")));
        assertEquals(3, getJson("/api/v1/single-sends?from=2000-01-01&to=2999-12-31").getJsonArray("items").size());
        assertEquals(0, getJson("/api/v1/single-sends?to=2000-01-01").getJsonArray("items").size());
        JsonObject page = getJson("/api/v1/single-sends?limit=2&source=api");
        assertEquals(1, page.getJsonArray("items").size());
        JsonObject first = getJson("/api/v1/single-sends?limit=2");
        assertEquals(2, first.getJsonArray("items").size());
        JsonArray rest = getJson(first.getString("next")).getJsonArray("items");
        assertEquals(List.of(singles.get(0)), ids(rest));

        JsonObject preview = getJson("/api/v1/single-sends/" + singles.get(0));
        assertEquals(LONG_CONTENT, preview.getString("content"));
        long campaignMessage = gw.count("select min(id) from messages where campaign_id is not null");
        assertEquals(404, gw.get("/api/v1/single-sends/" + campaignMessage).statusCode());
    }

    // ---------------------------------------------------------------- validation

    @Test
    void queryParametersAreValidated() throws Exception {
        assertBadRequest("/api/v1/campaigns?sort=drop%20table", "sort");
        assertBadRequest("/api/v1/campaigns?order=up", "order");
        assertBadRequest("/api/v1/campaigns?limit=0", "limit");
        assertBadRequest("/api/v1/campaigns?format=xml", "format");
        assertBadRequest("/api/v1/campaigns/" + spring + "/report/delivered?number=abc", "number");
        assertBadRequest("/api/v1/campaigns/" + spring + "/report/delivered?after=-1", "after");
        assertBadRequest("/api/v1/campaigns/" + spring + "/report/sent", "tab");
        assertBadRequest("/api/v1/single-sends?tab=nope", "tab");
        assertBadRequest("/api/v1/single-sends?source=campaign", "source");
        assertBadRequest("/api/v1/single-sends?from=yesterday", "from");
        assertBadRequest("/api/v1/single-sends?from=2024-02-01&to=2024-01-01", "to");
        assertBadRequest("/api/v1/single-sends/x", "id");
        // An unknown cursor used to read as an empty page, i.e. "the end of the list".
        assertBadRequest("/api/v1/single-sends?before=999999999", "before");
        long campaignMessage = gw.count("select min(id) from messages where campaign_id is not null");
        assertBadRequest("/api/v1/single-sends?before=" + campaignMessage, "before");
        assertEquals(404, gw.get("/api/v1/campaigns/999999/report").statusCode());
    }

    // ---------------------------------------------------------------- CSV

    @Test
    void csvExportsHaveHeadersAndRfc4180Quoting() throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/campaigns?format=csv&sort=name");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        String[] lines = r.body().split("\r\n", -1);
        assertEquals("id,name,last_modified_by,sent,delivered,total_clicks,unique_clicks,last_sent_at,link_tracking,"
                + "delivery_rate", lines[0]);
        assertTrue(lines[1].endsWith("," + 1 / 3.0), lines[1]);
        assertTrue(lines[2].endsWith(",false,"), "never sent: no rate; " + lines[2]);
        assertTrue(lines[1].startsWith(autumn + ",\"Autumn, \"\"late\"\" offers\",dee,3,1,,,"), lines[1]);
        assertTrue(lines[2].startsWith(quiet + ",Quiet one,cy,0,0,,,,false"), lines[2]);
        assertEquals(5, lines.length, "header, three rows, and the empty string after the last CRLF");
        assertEquals("", lines[4]);

        String hard = gw.get("/api/v1/campaigns/" + spring + "/report/hard-bounces?format=csv").body();
        String[] h = hard.split("\r\n");
        assertEquals("number,country,tab,stat,error,error_class,cause,sent_at,final_at,message_id,carrier,"
                + "counts_toward_suppression,sender", h[0]);
        assertTrue(h[1].endsWith(",acme,true,DLRGATE"), h[1]);
        assertTrue(h[1].startsWith("+447700900003,GB,hard-bounces,UNDELIV,001,permanent,receipt,"), h[1]);
        assertEquals(2, h.length);

        String singlesCsv = gw.get("/api/v1/single-sends?format=csv&source=api").body();
        String[] sl = singlesCsv.split("\r\n");
        assertEquals(2, sl.length, singlesCsv);
        assertTrue(sl[1].endsWith(",api,DLRGATE"), sl[1]);
    }
}
