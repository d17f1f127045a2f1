package io.dlrgate.gateway.send;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nothing sent disappears from the report: through the real HTTP API on a real PostgreSQL, a campaign report shows
 * what happened to each send's list at the door (requested, queued, skipped as suppressed, duplicates, invalid),
 * per send and in total, and every requested contact is in exactly one count.
 */
class AudienceReportTest {

    static GatewayHarness gw;

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """);
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void theReportCountsEveryRequestedContactPerSendAndInTotal() throws Exception {
        HttpResponse<String> suppressed = gw.post("/api/v1/suppressions",
                new JsonObject().put("number", "+447700900799").put("reason", "asked to stop").encode());
        assertEquals(201, suppressed.statusCode(), suppressed.body());
        long campaign = campaign("Audience");
        send(campaign, List.of("+447700900701", "+44 7700 900701", "+447700900799", "nope", "+447700900702"));
        send(campaign, List.of("+447700900703"));

        HttpResponse<String> r = gw.get("/api/v1/campaigns/" + campaign + "/report");
        assertEquals(200, r.statusCode(), r.body());
        JsonObject report = new JsonObject(r.body());
        assertEquals(counts(6, 3, 1, 1, 1), report.getJsonObject("audience"), report.encode());
        JsonArray bySend = report.getJsonArray("audienceBySend");
        assertEquals(2, bySend.size());
        assertEquals(counts(5, 2, 1, 1, 1), only(bySend.getJsonObject(0)));
        assertEquals(counts(1, 1, 0, 0, 0), only(bySend.getJsonObject(1)));
        assertEquals("qa", bySend.getJsonObject(0).getString("sentBy"));
        // The invalid one is in the five tabs (Hard bounces); the suppressed one and the duplicate are not.
        assertEquals(4, report.getLong("sent"));
    }

    static JsonObject counts(long requested, long queued, long suppressed, long duplicates, long invalid) {
        return new JsonObject().put("requested", requested).put("queued", queued).put("suppressed", suppressed)
                .put("duplicates", duplicates).put("invalid", invalid);
    }

    static JsonObject only(JsonObject send) {
        JsonObject o = send.copy();
        o.remove("sendId");
        o.remove("sentAt");
        o.remove("sentBy");
        return o;
    }

    static void send(long campaign, List<String> contacts) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends",
                new JsonObject().put("contacts", new JsonArray(contacts)).put("sentBy", "qa").encode());
        assertEquals(202, r.statusCode(), r.body());
    }

    static long campaign(String name) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", name)
                .put("content", "Hello from " + name).put("createdBy", "ana").encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }
}
