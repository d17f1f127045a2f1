package io.dlrgate.gateway.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A single send to a suppressed number is not sent, yet is listed in Single sends under "Suppressed" (none of the
 * five tabs): in the JSON list, its filter, its paging (one cursor over sent and skipped sends), the preview and the
 * CSV. Nothing a user asked to send disappears from the reports.
 */
class SuppressedSingleSendsTest {

    static GatewayHarness gw;
    /** Oldest first: sent, skipped, sent, skipped. */
    static final List<Long> ids = new ArrayList<>();
    static long skipped;

    @BeforeAll
    static void seed() throws Exception {
        // No carrier binds: the sent messages stay Pending, which is all this test needs.
        gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """);
        assertEquals(201, gw.post("/api/v1/suppressions", new JsonObject().put("number", "+447700900666").encode())
                .statusCode());
        ids.add(send("+447700900601", 202, "api"));
        ids.add(send("+447700900666", 200, "api"));
        ids.add(send("+447700900602", 202, "ui"));
        skipped = send("+447700900666", 200, "program");
        ids.add(skipped);
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    static long send(String to, int status, String source) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/messages", new JsonObject().put("to", to)
                .put("content", "Hello " + to).put("source", source).encode());
        assertEquals(status, r.statusCode(), r.body());
        Long id = new JsonObject(r.body()).getLong("id");
        assertNotNull(id, "a skipped send has an id in Single sends too: " + r.body());
        return id;
    }

    static JsonObject getJson(String path) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return new JsonObject(r.body());
    }

    static List<Long> idsOf(JsonArray items) {
        List<Long> out = new ArrayList<>();
        items.forEach(o -> out.add(((JsonObject) o).getLong("id")));
        return out;
    }

    @Test
    void listedAsSuppressedAndPagedWithTheSentOnes() throws Exception {
        JsonArray all = getJson("/api/v1/single-sends").getJsonArray("items");
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0)), idsOf(all), "newest first, both kinds");
        JsonObject s = all.getJsonObject(0);
        assertEquals("suppressed", s.getString("tab"));
        assertEquals("+447700900666", s.getString("number"));
        assertEquals("program", s.getString("source"));
        assertEquals("Hello +447700900666", s.getString("contentStart"));
        assertNull(s.getString("sentAt"), "never sent");
        assertEquals("pending", all.getJsonObject(1).getString("tab"));

        assertEquals(List.of(ids.get(3), ids.get(1)),
                idsOf(getJson("/api/v1/single-sends?tab=suppressed").getJsonArray("items")));
        assertEquals(List.of(ids.get(2), ids.get(0)),
                idsOf(getJson("/api/v1/single-sends?tab=pending").getJsonArray("items")), "not in the five tabs");
        assertEquals(List.of(ids.get(1)),
                idsOf(getJson("/api/v1/single-sends?tab=suppressed&source=api").getJsonArray("items")));

        // One cursor over both tables: a page may end on a skipped send, and the next starts after it.
        List<Long> paged = new ArrayList<>();
        String next = "/api/v1/single-sends?limit=1";
        while (next != null) {
            JsonObject page = getJson(next);
            paged.addAll(idsOf(page.getJsonArray("items")));
            next = page.getString("next");
        }
        assertEquals(List.of(ids.get(3), ids.get(2), ids.get(1), ids.get(0)), paged);
    }

    @Test
    void previewAndCsvShowTheSkippedSend() throws Exception {
        JsonObject p = getJson("/api/v1/single-sends/" + skipped);
        assertEquals("suppressed", p.getString("tab"));
        assertEquals("Hello +447700900666", p.getString("content"));
        assertEquals("+447700900666", p.getString("to"));
        assertEquals("acme", p.getString("carrier"), "the carrier it would have gone to");
        assertEquals(0, gw.count("select count(*) from messages where recipient = '+447700900666'"), "nothing sent");

        String csv = gw.get("/api/v1/single-sends?format=csv&tab=suppressed").body();
        String[] lines = csv.split("\r\n");
        assertEquals(3, lines.length, csv);
        assertTrue(lines[1].startsWith(skipped + ",+447700900666,GB,"), lines[1]);
        assertTrue(lines[1].endsWith(",suppressed,,program,DLRGATE"), lines[1]);
    }

    @Test
    void aBadTabStillNamesSuppressedAmongTheChoices() throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/single-sends?tab=skipped");
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(new JsonObject(r.body()).getString("error").contains("suppressed"), r.body());
    }
}
