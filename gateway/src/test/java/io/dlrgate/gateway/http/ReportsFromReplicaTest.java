package io.dlrgate.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.Tab;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.MutableClock;
import io.dlrgate.reporting.campaign.CampaignStore;
import io.dlrgate.reporting.message.MessageStore;
import io.dlrgate.reporting.message.NewMessage;
import io.dlrgate.reporting.message.Source;
import io.dlrgate.reporting.report.ReportQueries;
import io.dlrgate.reporting.testing.StreamingReplica;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A gateway whose reports read from a real streaming replica ({@code database.read_url}) of the test server: the
 * reports equal the primary's once the replica caught up; while its replay is paused they are stale and the lag is
 * reported (past 5 s with the notice), measured on the gateway's clock so no test waits 5 real seconds; with the
 * replica stopped they fall back to the primary, and return to the replica once it is back. One replica for the
 * class; the methods run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReportsFromReplicaTest {

    private static final Instant START = Instant.parse("2026-12-07T12:00:00Z");

    static StreamingReplica replica;
    static MutableClock clock;
    static GatewayHarness gw;
    static MessageStore messages;
    static ReportQueries onPrimary;
    static long campaign;

    @BeforeAll
    static void up() throws Exception {
        replica = StreamingReplica.start();
        clock = new MutableClock(START);
        try {
            gw = GatewayHarness.start("", "", "",
                    db -> "  read_url: \"" + replica.url(db.name()) + "\"\n", clock);
        } catch (Exception | Error e) {
            replica.close();
            throw e;
        }
        var primary = gw.db().database().dataSource();
        messages = new MessageStore(primary, clock);
        onPrimary = new ReportQueries(primary);
        campaign = new CampaignStore(primary, messages, clock).create("Replica", "hi", "ana", false).id();
        queue(30, 0);
        for (int i = 0; i < 5; i++) {
            messages.insert(new NewMessage(null, null, Source.API, "+44770090100" + i, "GB", "single", "acme",
                    START.plus(Duration.ofDays(2))));
        }
    }

    @AfterAll
    static void down() {
        try {
            if (gw != null) {
                gw.close();
            }
        } finally {
            replica.close();
        }
    }

    @Test
    @Order(1)
    void reportsReadThroughTheReplicaEqualThePrimarysOnceCaughtUp() throws Exception {
        replica.awaitCaughtUp();
        awaitFreshness(f -> f.getString("source").equals("replica"));
        // A probe may have met the replica before it replayed the test database's creation: count from here.
        double fallbacks = metric(gw.get("/metrics").body(), "dlrgate_replica_fallback_reads_total");

        JsonObject report = getJson("/api/v1/campaigns/" + campaign + "/report");
        assertEquals(onPrimary.tabCounts(campaign).values().stream().mapToLong(Long::longValue).sum(),
                report.getLong("sent"));
        assertEquals(30, report.getLong("sent"));
        assertEquals(onPrimary.uniqueRecipients(campaign), report.getLong("uniqueSends"));
        assertEquals("replica", report.getJsonObject("freshness").getString("source"));

        JsonObject tab = getJson("/api/v1/campaigns/" + campaign + "/report/pending?limit=1000");
        assertEquals(onPrimary.tabPage(campaign, Tab.PENDING, null, 0, 1000).stream().map(r -> r.messageId()).toList(),
                ids(tab.getJsonArray("items"), "messageId"));

        JsonObject list = getJson("/api/v1/campaigns");
        assertEquals(onPrimary.campaignCount(null), list.getLong("total"));
        assertEquals(30, list.getJsonArray("items").getJsonObject(0).getLong("sent"));

        JsonObject singles = getJson("/api/v1/single-sends?limit=500");
        assertEquals(onPrimary.singleSends(new ReportQueries.SingleSendFilter(null, null, null, null, null), null,
                500).stream().map(r -> r.id()).toList(), ids(singles.getJsonArray("items"), "id"));

        HttpResponse<String> csv = gw.get("/api/v1/campaigns/" + campaign + "/report/pending?format=csv");
        assertEquals(200, csv.statusCode());
        assertEquals(1 + 30, csv.body().lines().count(), "a header and a row per pending message");

        String metrics = gw.get("/metrics").body();
        assertEquals(1.0, metric(metrics, "dlrgate_replica_up"));
        assertEquals(fallbacks, metric(metrics, "dlrgate_replica_fallback_reads_total"), "no read fell back");
        assertTrue(metrics.contains("pool=\"dlrgate-replica\""), "the replica pool's hikaricp_* series");
    }

    @Test
    @Order(2)
    void whileReplayIsPausedReportsAreStaleAndTheLagIsShownPastFiveSeconds() throws Exception {
        awaitFreshness(f -> f.getDouble("lagSeconds") == 0.0);
        replica.pauseReplay();
        try {
            queue(5, 100);
            clock.advance(Duration.ofSeconds(3));

            JsonObject f = awaitFreshness(x -> x.getDouble("lagSeconds") >= 3.0);
            assertFalse(f.getBoolean("behind"), f.encode());
            assertNull(f.getString("notice"), f.encode());
            assertEquals(30, getJson("/api/v1/campaigns/" + campaign + "/report").getLong("sent"),
                    "the replica has not replayed the last 5 messages: the report is read from it");
            assertEquals(35, onPrimary.tabCounts(campaign).values().stream().mapToLong(Long::longValue).sum());

            clock.advance(Duration.ofSeconds(3));
            f = awaitFreshness(x -> x.getBoolean("behind"));
            assertEquals(6.0, f.getDouble("lagSeconds"), f.encode());
            assertEquals("reports are 6 s behind", f.getString("notice"));
            JsonObject report = getJson("/api/v1/campaigns/" + campaign + "/report");
            assertEquals("reports are 6 s behind", report.getJsonObject("freshness").getString("notice"));
            assertEquals(6.0, metric(gw.get("/metrics").body(), "dlrgate_replica_lag_seconds"));
        } finally {
            replica.resumeReplay();
        }
        replica.awaitCaughtUp();
        JsonObject f = awaitFreshness(x -> x.getDouble("lagSeconds") == 0.0);
        assertFalse(f.getBoolean("behind"));
        assertEquals(35, getJson("/api/v1/campaigns/" + campaign + "/report").getLong("sent"));
    }

    @Test
    @Order(3)
    void aStoppedReplicaFallsBackToThePrimaryAndIsUsedAgainOnceBack() throws Exception {
        replica.stop();
        queue(2, 200);

        JsonObject report = getJson("/api/v1/campaigns/" + campaign + "/report");
        assertEquals(37, report.getLong("sent"), "read from the primary: it has every message");
        assertEquals("primary-fallback", report.getJsonObject("freshness").getString("source"));
        String metrics = gw.get("/metrics").body();
        assertEquals(0.0, metric(metrics, "dlrgate_replica_up"));
        assertTrue(metric(metrics, "dlrgate_replica_fallback_reads_total") >= 1, metrics);

        replica.startServer();
        awaitFreshness(f -> f.getString("source").equals("replica"));
        replica.awaitCaughtUp();
        assertEquals(37, getJson("/api/v1/campaigns/" + campaign + "/report").getLong("sent"));
    }

    /** Queues {@code count} campaign messages to numbers from {@code first}. */
    private static void queue(int count, int first) throws Exception {
        for (int i = first; i < first + count; i++) {
            messages.insert(new NewMessage(campaign, null, Source.CAMPAIGN, String.format("+4477009%05d", i), "GB",
                    "hi", "acme", START.plus(Duration.ofDays(2))));
        }
    }

    private static JsonObject awaitFreshness(java.util.function.Predicate<JsonObject> condition) {
        JsonObject[] last = new JsonObject[1];
        await("the report freshness to match").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> condition.test(last[0] = getJson("/api/v1/reports/freshness").getJsonObject("freshness")));
        return last[0];
    }

    private static JsonObject getJson(String path) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        return new JsonObject(r.body());
    }

    private static List<Long> ids(JsonArray items, String key) {
        return items.stream().map(o -> ((JsonObject) o).getLong(key)).toList();
    }

    private static double metric(String scrape, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*\\})? (\\S+)$").matcher(scrape);
        assertTrue(m.find(), name + " not in /metrics");
        return Double.parseDouble(m.group(1));
    }
}
