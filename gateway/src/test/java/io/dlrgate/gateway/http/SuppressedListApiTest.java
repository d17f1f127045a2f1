package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The suppressed list at 100,000 rows over real HTTP and PostgreSQL: search by the start of a number, keyset
 * pages that follow one another without gap or repeat, CSV, and the suppression settings an admin (only) changes.
 * The search and page latencies are printed, not asserted.
 */
class SuppressedListApiTest {

    static final int ROWS = 100_000;
    static GatewayHarness gw;

    @BeforeAll
    static void seed() throws Exception {
        gw = GatewayHarness.start(Logins.config(""));
        // +447700000000 .. +447700099999, one a second back from now: the newest is +447700000000.
        try (Connection c = gw.db().database().dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("insert into suppressions (number, reason, created_at, created_by) "
                    + "select '+4477' || lpad(i::text, 8, '0'), '3 consecutive hard bounces', "
                    + "now() - i * interval '1 second', 'bounces' from generate_series(0, " + (ROWS - 1) + ") i");
            s.execute("analyze suppressions");
        }
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    static JsonObject getJson(String path) throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = gw.get(path);
        System.out.printf("GET %s at %,d suppressed rows: %.1f ms%n", path, ROWS, (System.nanoTime() - t0) / 1e6);
        assertEquals(200, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    @Test
    void searchesByTheStartOfANumber() throws Exception {
        getJson("/api/v1/suppressions?number=44770009999&limit=5"); // warm-up
        JsonObject page = getJson("/api/v1/suppressions?number=44770009999&limit=5");
        assertEquals(10, page.getLong("total"), page.encode());
        JsonArray items = page.getJsonArray("items");
        assertEquals(5, items.size());
        for (int i = 0; i < 5; i++) {
            assertEquals("+44770009999" + i, items.getJsonObject(i).getString("number"), "newest first");
        }
        assertTrue(page.getString("next").contains("after="), page.encode());
        // The start of the number, not anywhere in it: 0999 alone is no number's start.
        assertEquals(0, getJson("/api/v1/suppressions?number=%2B0999").getLong("total"));
        assertEquals(1, getJson("/api/v1/suppressions?number=%2B447700099999").getLong("total"));
    }

    @Test
    void keysetPagesFollowOneAnotherWithoutGapOrRepeat() throws Exception {
        JsonObject first = getJson("/api/v1/suppressions?limit=1000");
        assertEquals(ROWS, first.getLong("total"));
        Set<String> seen = new HashSet<>();
        first.getJsonArray("items").forEach(o -> seen.add(((JsonObject) o).getString("number")));
        JsonObject page = first;
        for (int i = 1; i < 3; i++) {
            page = getJson(page.getString("next"));
            page.getJsonArray("items").forEach(o -> assertTrue(seen.add(((JsonObject) o).getString("number"))));
        }
        assertEquals(3000, seen.size());
        assertTrue(seen.contains("+447700002999") && !seen.contains("+447700003000"), "pages in order, none skipped");
        // Far into the list a page costs as little (printed): after the 99,990th row.
        JsonObject tail = getJson("/api/v1/suppressions?limit=100&after=" + java.net.URLEncoder.encode(
                timeOf("+447700099989") + ",+447700099989", java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(10, tail.getJsonArray("items").size(), tail.encode());
        assertNull(tail.getString("next"), "the last page has no next");
        assertEquals(400, gw.get("/api/v1/suppressions?after=yesterday").statusCode());
    }

    /** The time a number was suppressed, as the API writes it. */
    static String timeOf(String number) throws Exception {
        JsonObject one = getJson("/api/v1/suppressions?number=" + number.replace("+", "%2B"));
        return one.getJsonArray("items").getJsonObject(0).getString("createdAt");
    }

    @Test
    void csvHasEveryRow() throws Exception {
        long t0 = System.nanoTime();
        HttpResponse<String> r = gw.get("/api/v1/suppressions?format=csv");
        System.out.printf("CSV of %,d suppressed rows: %.1f ms%n", ROWS, (System.nanoTime() - t0) / 1e6);
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"),
                r.headers().map().toString());
        String[] lines = r.body().split("\r?\n");
        assertEquals("number,reason,created_at,created_by", lines[0]);
        assertEquals(ROWS + 1, lines.length);
        assertTrue(lines[1].startsWith("+447700000000,3 consecutive hard bounces,"), lines[1]);
        String some = gw.get("/api/v1/suppressions?format=csv&number=44770009999").body();
        assertEquals(11, some.split("\r?\n").length, some);
    }

    @Test
    void anAdminChangesTheThresholdAndModeAViewerCannot() throws Exception {
        String admin = Logins.cookie(gw.baseUrl(), "ada", "admin-pass");
        String viewer = Logins.cookie(gw.baseUrl(), "vic", "viewer-pass");
        String change = "{\"suppressionThreshold\":5,\"suppressionMode\":\"total\"}";
        assertEquals(403, putSettings(viewer, change).statusCode());
        HttpResponse<String> r = putSettings(admin, change);
        assertEquals(200, r.statusCode(), r.body());
        JsonObject now = getJson("/api/v1/settings");
        assertEquals(5, now.getInteger("suppressionThreshold"));
        assertEquals("total", now.getString("suppressionMode"));
        String rule = now.getString("rule");
        assertTrue(rule.contains("after 5 permanent (hard) bounces in total") && rule.contains("transient")
                && rule.contains("UNDELIV"), rule);
        assertEquals(400, putSettings(admin, "{\"suppressionThreshold\":0}").statusCode());
        assertFalse(getJson("/api/v1/settings").getInteger("suppressionThreshold") == 0);
    }

    static HttpResponse<String> putSettings(String cookie, String json) throws Exception {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/settings")).header("Cookie", cookie)
                .header("X-Requested-With", "dlrgate").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }
}
