package io.dlrgate.gateway.report;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import io.dlrgate.config.BindType;
import io.dlrgate.config.Tab;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.reporting.counters.ReportCounters;
import io.dlrgate.reporting.report.FailureCause;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The maintained report counters (campaign_counters, carrier_counters, unique sends, link clicks; migrations V11 and
 * V18) against a fresh recount, after a mixed run through the real paths only: campaign sends over the HTTP API,
 * submits over SMPP (some refused by the carrier), receipts of every stat from two sessions at once (so both commit
 * lanes write), duplicates, intermediates, the gateway's own expiry on a test clock, late receipts after expiry under
 * {@code delivered_wins}, a send after expiry, and link clicks. Also the error vocabulary of the tab pages: {@code errorClass} is the stored
 * class, {@code cause} says why.
 */
class ReportCountersConsistencyTest {

    static final Instant T0 = Instant.parse("2026-11-27T09:00:00Z");
    static final Duration WAIT = Duration.ofSeconds(60);
    static final Pattern SHORT = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/l/([A-Za-z0-9_-]{22})");
    /** The stats receipts cycle through; null: no receipt at all (the message stays Pending until it expires). */
    static final String[] STATS = {"DELIVRD", "UNDELIV", "EXPIRED", "DELETED", "REJECTD", "ENROUTE", "ACCEPTD", null};

    final MutableClock clock = new MutableClock(T0);
    GatewayHarness gw;
    final List<TestCarrier> carriers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        carriers.forEach(TestCarrier::close);
        if (gw != null) {
            gw.close();
        }
    }

    @Test
    void countersEqualARecountAfterAMixedRunThroughTheRealPaths() throws Exception {
        gw = GatewayHarness.start("""
                expiry:
                  grace: 5m
                  sweep_interval: 100ms
                  late_receipts: delivered_wins
                carriers:
                  - id: alpha
                    system_id: alpha
                    password: alpha-pw
                    prefixes: ["+44"]
                    default_validity: 48h
                    max_submit_rate: 20000
                """, "", clock);
        // Two sessions of one carrier: submits are spread over both; receipts come from both at once. Numbers
        // ending in 9 are refused at submit (invalid destination).
        for (int i = 0; i < 2; i++) {
            carriers.add(TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw")
                    .bindType(BindType.TRANSCEIVER)
                    .onSubmit(s -> s.getDestAddress().getAddress().endsWith("9")
                            ? TestCarrier.SubmitAnswer.error(SmppConstants.STATUS_INVDSTADR)
                            : TestCarrier.SubmitAnswer.ok("id-" + s.getDestAddress().getAddress())).bind());
        }
        long plain = campaign("Plain", "Hello from Plain", false);
        long tracked = campaign("Tracked", "Sale! See https://shop.example.com/a and http://example.org/t", true);

        send(plain, numbers(0, 30));                          // 3 refused (…09, …19, …29)
        send(tracked, numbers(100, 15));                      // 1 refused (…109)
        List<String> again = new ArrayList<>(numbers(0, 5));  // a second send: 5 numbers again, 2 new
        again.addAll(numbers(50, 2));
        send(plain, again);
        single("+447700900900");                              // single sends: never in a campaign's counters
        single("+447700900901");
        int total = 30 + 15 + 7 + 2;
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages "
                + "where dispatch_state in ('submitted', 'failed')") == total);
        assertEquals(4, gw.count("select count(*) from messages where final_by = 'submit'"));

        // Phase 1: receipts of every stat for the accepted messages (distinct carrier ids), duplicates and
        // intermediates, from both sessions at once.
        List<String> ids = carrierIds();
        List<String[]> receipts = new ArrayList<>();
        Map<String, String> pendingAfterPhase1 = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            String stat = STATS[i % STATS.length];
            if (stat == null || stat.equals("ENROUTE") || stat.equals("ACCEPTD")) {
                pendingAfterPhase1.put(id, stat);
            }
            if (stat == null) {
                continue;
            }
            if (i % 4 == 0) {
                receipts.add(new String[] {id, "ENROUTE"});                     // intermediate first
            }
            receipts.add(new String[] {id, stat});
            if (i % 3 == 0) {
                receipts.add(new String[] {id, stat});                          // duplicate
            }
        }
        receipts.add(new String[] {"id-unknown-1", "DELIVRD"});                  // orphan: no such message
        sendConcurrently(receipts);
        assertTrue(pendingAfterPhase1.size() >= 4, "some messages are left Pending: " + pendingAfterPhase1);

        // The validity (48h) plus grace (5m) passes: the gateway's sweeper expires everything still Pending.
        clock.advance(Duration.ofHours(48).plusMinutes(6));
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where tab = 'pending'") == 0);

        // Phase 2: late receipts after expiry under delivered_wins: DELIVRD moves a soft bounce to Delivered,
        // UNDELIV leaves it; duplicates of both.
        List<String[]> late = new ArrayList<>();
        int k = 0;
        for (String id : pendingAfterPhase1.keySet()) {
            String stat = k++ % 2 == 0 ? "DELIVRD" : "UNDELIV";
            late.add(new String[] {id, stat});
            late.add(new String[] {id, stat});
        }
        sendConcurrently(late);
        assertTrue(gw.count("select count(*) from receipts where outcome like 'late_after_expiry_%'") > 0);

        // Phase 3: a send after expiry (new Pending messages), a few receipts for it.
        int before = carrierIds().size();
        send(tracked, numbers(200, 5));
        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages "
                + "where dispatch_state in ('submitted', 'failed')") == total + 5);
        sendConcurrently(List.of(new String[] {"id-447700900200", "ENROUTE"},
                new String[] {"id-447700900201", "DELIVRD"}, new String[] {"id-447700900201", "DELIVRD"},
                new String[] {"id-447700900202", "UNDELIV"}));
        assertEquals(before + 5, carrierIds().size());

        // Clicks on the tracked campaign's short links: repeated by the same recipient and by others.
        List<String> codes = shortCodes();
        assertTrue(codes.size() >= 6, "short links in the tracked campaign's submits: " + codes);
        int[] clicksPerCode = {3, 1, 2, 1, 1, 1};
        for (int i = 0; i < clicksPerCode.length; i++) {
            for (int n = 0; n < clicksPerCode[i]; n++) {
                assertEquals(302, click(codes.get(i)));
            }
        }

        // ------------------------------------------------------------ counters = recount
        Map<Long, Map<Tab, Long>> recount = recount();
        Map<Long, Map<Tab, Long>> counters;
        Map<ReportCounters.CarrierTab, Long> perCarrier;
        try (Connection c = gw.db().database().connection()) {
            counters = ReportCounters.read(c);
            perCarrier = ReportCounters.messagesPerCarrierAndTab(c);
        }
        assertEquals(recount, counters, "campaign_counters (shards summed) vs GROUP BY over messages");
        assertEquals(recountPerCarrier(), perCarrier, "carrier_counters (shards summed) vs GROUP BY over messages");
        // The run really exercised every tab and every way into one.
        Map<Tab, Long> allTabs = new EnumMap<>(Tab.class);
        recount.values().forEach(m -> m.forEach((t, n) -> allTabs.merge(t, n, Long::sum)));
        assertEquals(5, allTabs.size(), "every tab has messages: " + allTabs);
        assertTrue(gw.count("select count(*) from messages where final_by = 'expiry'") > 0);
        assertTrue(gw.count("select count(*) from messages where tab = 'delivered' and final_by = 'receipt' "
                + "and id in (select message_id from receipts where outcome like 'late_after_expiry_%')") > 0);
        assertTrue(gw.count("select count(*) from receipts where outcome = 'duplicate'") > 0,
                "duplicates were sent and recognised");

        // ------------------------------------------------------------ what the API shows
        for (long campaign : List.of(plain, tracked)) {
            JsonObject report = getJson("/api/v1/campaigns/" + campaign + "/report");
            JsonObject tabs = report.getJsonObject("tabs");
            for (Tab t : Tab.values()) {
                assertEquals(recount.get(campaign).getOrDefault(t, 0L), tabs.getLong(t.slug()),
                        "campaign " + campaign + " tab " + t);
            }
            assertEquals(gw.count("select count(distinct recipient) from messages where campaign_id = " + campaign),
                    report.getLong("uniqueSends"));
            // The timeline over the 48 h on the test clock (expiry, late receipts, submit refusals included):
            // round buckets, at most 60, the last holding the tabs' counts.
            JsonArray buckets = getJson("/api/v1/campaigns/" + campaign + "/timeline").getJsonArray("buckets");
            assertTrue(buckets.size() > 1 && buckets.size() <= 60, "buckets: " + buckets.size());
            assertEquals(tabs, buckets.getJsonObject(buckets.size() - 1).getJsonObject("tabs"));
            HttpResponse<String> tooFine = gw.get("/api/v1/campaigns/" + campaign + "/timeline?bucket=PT1M");
            assertEquals(400, tooFine.statusCode(), "48 h in minutes is more than 500 buckets: " + tooFine.body());
        }
        assertEquals(32, gw.count("select unique_recipients from campaigns where id = " + plain));
        JsonArray list = getJson("/api/v1/campaigns?sort=delivered&order=desc").getJsonArray("items");
        for (int i = 0; i < list.size(); i++) {
            JsonObject row = list.getJsonObject(i);
            long id = row.getLong("id");
            assertEquals(gw.count("select count(*) from messages where campaign_id = " + id), row.getLong("sent"));
            assertEquals(gw.count("select count(*) from messages where tab = 'delivered' and campaign_id = " + id),
                    row.getLong("delivered"));
            if (id == tracked) {
                assertEquals(gw.count("select count(*) from link_clicks where campaign_id = " + id),
                        row.getLong("totalClicks"));
                assertEquals(gw.count("select count(*) from (select distinct link_id, recipient from link_clicks "
                        + "where campaign_id = " + id + ") u"), row.getLong("uniqueClicks"));
            }
        }
        assertEquals(9, gw.count("select sum(total_clicks) from links"));
        assertEquals(gw.count("select count(*) from (select distinct link_id, recipient from link_clicks) u"),
                gw.count("select sum(unique_clicks) from links"));
        for (Object o : getJson("/api/v1/campaigns/" + tracked + "/report").getJsonArray("links")) {
            JsonObject l = (JsonObject) o;
            long link = l.getLong("id");
            assertEquals(gw.count("select count(*) from link_clicks where link_id = " + link), l.getLong("totalClicks"));
            assertEquals(gw.count("select count(distinct recipient) from link_clicks where link_id = " + link),
                    l.getLong("uniqueClicks"));
        }

        // ------------------------------------------------------------ error class and cause on the tab pages
        Map<String, Integer> causes = new HashMap<>();
        for (long campaign : List.of(plain, tracked)) {
            for (Tab t : Tab.values()) {
                JsonArray items = getJson("/api/v1/campaigns/" + campaign + "/report/" + t.slug() + "?limit=1000")
                        .getJsonArray("items");
                assertEquals(recount.get(campaign).getOrDefault(t, 0L), (long) items.size());
                for (Object o : items) {
                    JsonObject row = (JsonObject) o;
                    JsonObject stored = getJson("/api/v1/messages/" + row.getLong("messageId"));
                    assertEquals(stored.getString("errorClass"), row.getString("errorClass"), row.encode());
                    assertEquals(expectedCause(stored), row.getString("cause"), row.encode());
                    if (!t.isFinal() || t == Tab.DELIVERED) {
                        assertEquals(null, row.getString("errorClass"), row.encode());
                    } else {
                        if (t != Tab.DELETED) {          // a deletion by the network is neither class
                            assertNotNull(row.getString("errorClass"), "a bounce has its stored class: "
                                    + row.encode());
                        }
                        causes.merge(row.getString("cause"), 1, Integer::sum);
                    }
                }
            }
        }
        assertTrue(causes.containsKey(FailureCause.SUBMIT_REJECTED), causes.toString());
        assertTrue(causes.containsKey(FailureCause.GATEWAY_EXPIRY), causes.toString());
        assertTrue(causes.containsKey(FailureCause.RECEIPT), causes.toString());
        JsonObject expired = getJson("/api/v1/campaigns/" + plain + "/report/soft-bounces?limit=1000")
                .getJsonArray("items").stream().map(JsonObject.class::cast)
                .filter(r -> FailureCause.GATEWAY_EXPIRY.equals(r.getString("cause"))).findFirst().orElseThrow();
        assertEquals("transient", expired.getString("errorClass"));
        String csv = gw.get("/api/v1/campaigns/" + plain + "/report/hard-bounces?format=csv").body();
        assertEquals("number,country,tab,stat,error,error_class,cause,sent_at,final_at,message_id,carrier,"
                + "counts_toward_suppression,sender",
                csv.lines().findFirst().orElseThrow());
        assertTrue(csv.lines().skip(1).anyMatch(l -> l.contains("," + FailureCause.SUBMIT_REJECTED + ",")), csv);
        assertFalse(csv.contains(",rejected,") || csv.contains(",expired,"), "no old vocabulary: " + csv);
    }

    static String expectedCause(JsonObject m) {
        String tab = m.getString("tab");
        if (tab.equals("delivered") || tab.equals("pending")) {
            return null;
        }
        return switch (m.getString("finalBy")) {
            case "submit" -> m.getInteger("submitStatus") != null && m.getInteger("submitStatus") != 0
                    ? FailureCause.SUBMIT_REJECTED : FailureCause.SUBMIT_FAILED;
            case "expiry" -> FailureCause.GATEWAY_EXPIRY;
            default -> FailureCause.RECEIPT;
        };
    }

    // ---------------------------------------------------------------- helpers

    Map<Long, Map<Tab, Long>> recount() throws Exception {
        Map<Long, Map<Tab, Long>> out = new HashMap<>();
        try (Connection c = gw.db().database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select campaign_id, tab, count(*) from messages "
                     + "where campaign_id is not null group by campaign_id, tab")) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getLong(1), x -> new EnumMap<>(Tab.class))
                        .put(Tab.fromSlug(rs.getString(2)).orElseThrow(), rs.getLong(3));
            }
        }
        return out;
    }

    Map<ReportCounters.CarrierTab, Long> recountPerCarrier() throws Exception {
        Map<ReportCounters.CarrierTab, Long> out = new HashMap<>();
        try (Connection c = gw.db().database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select carrier_id, tab, count(*) from messages group by carrier_id, tab")) {
            while (rs.next()) {
                out.put(new ReportCounters.CarrierTab(rs.getString(1), Tab.fromSlug(rs.getString(2)).orElseThrow()),
                        rs.getLong(3));
            }
        }
        return out;
    }

    List<String> carrierIds() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = gw.db().database().connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("select distinct carrier_message_id from messages "
                     + "where campaign_id is not null and carrier_message_id is not null order by 1")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    List<String> shortCodes() {
        List<String> out = new ArrayList<>();
        for (TestCarrier c : carriers) {
            for (TestCarrier.ReceivedSubmit s : c.submits()) {
                Matcher m = SHORT.matcher(LinkTrackingTest.text(s));
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Sends the receipts, alternating between the two sessions, both at once; each must be acknowledged OK. */
    void sendConcurrently(List<String[]> receipts) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                TestCarrier carrier = carriers.get(s);
                int first = s;
                done.add(pool.submit(() -> {
                    for (int i = first; i < receipts.size(); i += 2) {
                        String[] r = receipts.get(i);
                        assertEquals(SmppConstants.STATUS_OK, carrier.sendDeliverSm(receipt(r[0], r[1]))
                                .getCommandStatus(), r[0] + " " + r[1]);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static com.cloudhopper.smpp.pdu.DeliverSm receipt(String id, String stat) {
        String dlvrd = "DELIVRD".equals(stat) ? "001" : "000";
        String err = "UNDELIV".equals(stat) ? "001" : "000";
        return TestCarrier.receipt("id:" + id + " sub:001 dlvrd:" + dlvrd + " submit date:2611270900 done date:"
                + "2611270930 stat:" + stat + " err:" + err + " text:x");
    }

    static List<String> numbers(int from, int n) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            out.add(String.format("+447700900%03d", i));
        }
        return out;
    }

    long campaign(String name, String content, boolean tracking) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", name)
                .put("content", content).put("createdBy", "qa").put("linkTracking", tracking).encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    void send(long campaign, List<String> contacts) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", contacts).put("sentBy", "qa").encode());
        assertEquals(202, r.statusCode(), r.body());
    }

    void single(String to) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/messages", new JsonObject().put("to", to)
                .put("content", "Your code is 1234").encode());
        assertEquals(202, r.statusCode(), r.body());
    }

    int click(String code) throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        return client.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/l/" + code)).GET().build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    JsonObject getJson(String path) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return new JsonObject(r.body());
    }
}
