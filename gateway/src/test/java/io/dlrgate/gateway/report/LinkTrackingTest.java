package io.dlrgate.gateway.report;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.BindType;
import io.dlrgate.gateway.dispatch.encoding.MessageDecoder;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Link tracking end to end: a campaign with tracking on goes out through the real send path; each recipient's
 * submit_sm carries short links of its own; clicks through the public redirect are counted total and unique
 * (distinct recipients per link) in the campaign report and the campaign list.
 */
class LinkTrackingTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static final Pattern SHORT = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/l/([A-Za-z0-9_-]{22})");
    static GatewayHarness gw;
    static TestCarrier acme;
    static final HttpClient noRedirects = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"], max_submit_rate: 20000}
                """);
        acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress())).bind();
    }

    @AfterAll
    static void down() {
        if (acme != null) {
            acme.close();
        }
        gw.close();
    }

    static String text(TestCarrier.ReceivedSubmit s) {
        var pdu = s.pdu();
        byte[] bytes = pdu.getShortMessageLength() > 0 ? pdu.getShortMessage()
                : pdu.getOptionalParameter(com.cloudhopper.smpp.SmppConstants.TAG_MESSAGE_PAYLOAD).getValue();
        return MessageDecoder.decode(pdu.getDataCoding(), bytes);
    }

    static HttpResponse<String> click(String code, String userAgent) throws Exception {
        // /l/{code} is public: no Authorization header
        return noRedirects.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/l/" + code))
                .header("User-Agent", userAgent).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTrackedSendRefusedForItsLengthStoresNoLinkAndNoCode() throws Exception {
        // Short links lengthen "http://a.b" past the 1,600-character limit: refused, and (unlike before) no link
        // row and no code is left behind to show on the report or to redirect.
        String content = "See http://a.b " + "x".repeat(1_585);
        HttpResponse<String> created = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Too long tracked")
                .put("content", content).put("createdBy", "ana").put("linkTracking", true).encode());
        assertEquals(201, created.statusCode(), created.body());
        long campaign = new JsonObject(created.body()).getLong("id");
        HttpResponse<String> sent = gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", List.of("+447700900391", "+447700900392")).put("sentBy", "ana").encode());
        assertEquals(400, sent.statusCode(), sent.body());
        assertEquals("content", new JsonObject(sent.body()).getString("field"));
        assertEquals(0, gw.count("select count(*) from links where campaign_id = " + campaign));
        assertEquals(0, gw.count("select count(*) from link_codes c join links l on l.id = c.link_id "
                + "where l.campaign_id = " + campaign));
    }

    @Test
    void linksAreRewrittenPerRecipientAndClicksCountedTotalAndUnique() throws Exception {
        String content = "Sale! See https://shop.example.com/spring?utm=sms. Terms: http://example.org/terms";
        HttpResponse<String> created = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Tracked")
                .put("content", content).put("createdBy", "ana").put("linkTracking", true).encode());
        assertEquals(201, created.statusCode(), created.body());
        long campaign = new JsonObject(created.body()).getLong("id");
        List<String> contacts = List.of("+447700900301", "+447700900302", "+447700900303");
        assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", contacts).put("sentBy", "ana").encode()).statusCode());
        List<String> dest = List.of("447700900301", "447700900302", "447700900303");
        await().atMost(WAIT).until(() -> acme.submits().stream().filter(x -> dest.contains(x.destination())).count() == 3);
        List<TestCarrier.ReceivedSubmit> submits = acme.submits().stream().filter(x -> dest.contains(x.destination()))
                .toList();

        // What each handset got: the content with two short links of its own, at the link's place.
        Map<String, List<String>> codes = new HashMap<>();
        for (TestCarrier.ReceivedSubmit s : submits) {
            String text = text(s);
            assertTrue(text.startsWith("Sale! See http://127.0.0.1:"), text);
            assertTrue(text.contains(". Terms: http://127.0.0.1:"), "trailing dot stays outside the link: " + text);
            Matcher m = SHORT.matcher(text);
            List<String> mine = new java.util.ArrayList<>();
            while (m.find()) {
                mine.add(m.group(1));
            }
            assertEquals(2, mine.size(), text);
            codes.put(s.destination(), mine);
            String stored = new JsonObject(gw.get("/api/v1/messages/" + gw.count("select id from messages where "
                    + "recipient = '" + "+" + s.destination().replace("+", "") + "'")).body()).getString("content");
            assertEquals(text, stored, "what is stored is what is sent");
        }
        assertEquals(3, codes.size());
        assertEquals(6, codes.values().stream().flatMap(List::stream).distinct().count(), "every code is unique");

        String a = codes.get("447700900301").get(0);
        String a2 = codes.get("447700900301").get(1);
        String b = codes.get("447700900302").get(0);
        HttpResponse<String> r = click(a, "PhoneBrowser/1.0");
        assertEquals(302, r.statusCode());
        assertEquals("https://shop.example.com/spring?utm=sms", r.headers().firstValue("Location").orElseThrow());
        assertEquals(302, click(a, "PhoneBrowser/1.0").statusCode());     // same recipient again
        assertEquals(302, click(a, "OtherBrowser/2.0").statusCode());     // and again
        assertEquals(302, click(b, "PhoneBrowser/1.0").statusCode());     // a second recipient
        HttpResponse<String> terms = click(a2, "PhoneBrowser/1.0");
        assertEquals("http://example.org/terms", terms.headers().firstValue("Location").orElseThrow());
        assertEquals(404, click("AAAAAAAAAAAAAAAAAAAAAA", "x").statusCode());
        assertEquals(404, click("nope", "x").statusCode());

        JsonObject report = new JsonObject(gw.get("/api/v1/campaigns/" + campaign + "/report").body());
        JsonArray links = report.getJsonArray("links");
        assertEquals(2, links.size(), links.encode());
        JsonObject shop = links.getJsonObject(0);
        assertEquals("https://shop.example.com/spring?utm=sms", shop.getString("url"));
        assertEquals(4, shop.getLong("totalClicks"));
        assertEquals(2, shop.getLong("uniqueClicks"));
        assertEquals(1, links.getJsonObject(1).getLong("totalClicks"));
        assertEquals(1, links.getJsonObject(1).getLong("uniqueClicks"));
        assertEquals(5, report.getLong("totalClicks"));
        assertEquals(3, report.getLong("uniqueClicks"));
        // The text sent, as a reader may see it: no recipient's own code (a reader's click would count as theirs).
        String sent = report.getString("sentContent");
        assertTrue(sent.startsWith("Sale! See http://127.0.0.1:") && sent.contains("/l/" + "x".repeat(22) + ". Terms: "),
                sent);
        codes.values().stream().flatMap(List::stream).forEach(code -> assertTrue(!sent.contains(code), sent));

        JsonObject listed = null;
        for (Object o : new JsonObject(gw.get("/api/v1/campaigns").body()).getJsonArray("items")) {
            if (((JsonObject) o).getLong("id") == campaign) {
                listed = (JsonObject) o;
            }
        }
        assertEquals(5, listed.getLong("totalClicks"));
        assertEquals(3, listed.getLong("uniqueClicks"));
        assertEquals(3, listed.getLong("sent"));
        assertEquals(5, gw.count("select count(*) from link_clicks where user_agent is not null and campaign_id = "
                + campaign));
        assertEquals(1, gw.count("select count(*) from link_clicks where user_agent = 'OtherBrowser/2.0'"));
    }

    @Test
    void redirectsToNonAsciiUrlsArePercentEncodedUtf8WithPunycodeHosts() throws Exception {
        // Was "Location: https://example.com/caf\xE9-?": Latin-1 bytes, and the euro sign a '?' starting a query.
        String content = "Menu https://example.com/café-€ and https://bücher.example:8443/straße?q=ü#teil";
        long campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Non-ASCII links")
                .put("content", content).put("createdBy", "ana").put("linkTracking", true).encode()).body())
                .getLong("id");
        int before = acme.submitCount();
        assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", List.of("+447700900398")).put("sentBy", "ana").encode()).statusCode());
        await().atMost(WAIT).until(() -> acme.submitCount() > before);
        Matcher m = SHORT.matcher(text(acme.submits().get(acme.submitCount() - 1)));
        assertTrue(m.find());
        assertEquals("https://example.com/caf%C3%A9-%E2%82%AC",
                click(m.group(1), "x").headers().firstValue("Location").orElseThrow());
        assertTrue(m.find());
        assertEquals("https://xn--bcher-kva.example:8443/stra%C3%9Fe?q=%C3%BC#teil",
                click(m.group(1), "x").headers().firstValue("Location").orElseThrow());
    }

    @Test
    void withoutTrackingLinksAreSentAsWritten() throws Exception {
        String content = "Read https://news.example.com/a";
        long campaign = new JsonObject(gw.post("/api/v1/campaigns", new JsonObject().put("name", "Plain")
                .put("content", content).put("createdBy", "ana").encode()).body()).getLong("id");
        int before = acme.submitCount();
        assertEquals(202, gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", List.of("+447700900399")).put("sentBy", "ana").encode()).statusCode());
        await().atMost(WAIT).until(() -> acme.submitCount() > before);
        TestCarrier.ReceivedSubmit s = acme.submits().get(acme.submitCount() - 1);
        assertEquals(content, text(s));
        assertEquals(0, gw.count("select count(*) from links where campaign_id = " + campaign));
    }
}
