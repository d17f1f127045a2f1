package io.dlrgate.gateway.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The setting {@code countInvalidNumbers}: off (the default), a contact filed at the send as a Hard bounce because
 * it is no mobile number ({@code invalid-number}) or no carrier takes it ({@code no-route}) never counts toward
 * suppression, however often it is sent; on, it counts like a carrier's permanent bounce, is suppressed at the
 * threshold, and is then skipped as suppressed instead of filed again.
 */
class InvalidNumberSuppressionTest {

    static GatewayHarness gw;
    static long campaign;

    @BeforeAll
    static void start() throws Exception {
        // Only +44 has a carrier: a French number has no route. No carrier binds; none is needed.
        gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                webhooks:
                  allow_http: true
                  allow_private: true
                """);
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", "Typos")
                .put("content", "Hello").put("createdBy", "ana").encode());
        assertEquals(201, r.statusCode(), r.body());
        campaign = new JsonObject(r.body()).getLong("id");
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void offByDefaultInvalidNumbersNeverCount() throws Exception {
        assertEquals(Boolean.FALSE, settings().getBoolean("countInvalidNumbers"));
        assertTrue(settings().getString("rule").endsWith("nor do invalid or unroutable numbers."),
                settings().getString("rule"));
        for (int i = 0; i < 4; i++) {
            JsonObject a = send(List.of("+447700900701", "+33612345601", "not a number 1"));
            assertEquals(2, a.getInteger("invalid"), a.encode());
            assertEquals(0, a.getInteger("skipped"), a.encode());
        }
        assertEquals(0, gw.count("select count(*) from bounce_counts where number in ('+33612345601', "
                + "'not a number 1')"));
        assertEquals(0, gw.count("select count(*) from suppressions"));
        assertEquals(Boolean.FALSE, hardBounceOf("+33612345601").getBoolean("countsTowardSuppression"));
    }

    /** The Hard bounces row of a number, as the report API lists it. */
    static JsonObject hardBounceOf(String number) throws Exception {
        JsonArray items = new JsonObject(gw.get("/api/v1/campaigns/" + campaign + "/report/hard-bounces?limit=1000")
                .body()).getJsonArray("items");
        for (Object o : items) {
            if (number.equals(((JsonObject) o).getString("number"))) {
                return (JsonObject) o;
            }
        }
        throw new AssertionError(number + " not in Hard bounces: " + items.encode());
    }

    @Test
    void onTheyCountAreSuppressedAtTheThresholdAndThenSkipped() throws Exception {
        HttpResponse<String> put = gw.put("/api/v1/settings", new JsonObject().put("countInvalidNumbers", true).encode());
        assertEquals(200, put.statusCode(), put.body());
        assertTrue(new JsonObject(put.body()).getString("rule").endsWith("invalid and unroutable numbers (filed at "
                + "the send) do."), put.body());
        // An endpoint that wants number.suppressed, so the outbox takes those events (this test reads the outbox;
        // the receiver, a socket that never answers, is not what is under test).
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            HttpResponse<String> hook = gw.post("/api/v1/webhooks", new JsonObject()
                    .put("url", "http://127.0.0.1:" + silent.getLocalPort() + "/hooks")
                    .put("events", new JsonArray(List.of("number.suppressed"))).encode());
            assertEquals(201, hook.statusCode(), hook.body());
            long endpoint = new JsonObject(hook.body()).getLong("id");
            try {
                suppressedAtTheThresholdAndThenSkipped();
            } finally {
                gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/webhooks/" + endpoint))
                        .header("Authorization", "Bearer " + GatewayHarness.API_KEY).DELETE());
            }
        }
    }

    void suppressedAtTheThresholdAndThenSkipped() throws Exception {
        try {
            for (int i = 0; i < 3; i++) {
                JsonObject a = send(List.of("+447700900702", "+33612345602", "not a number 2"));
                assertEquals(2, a.getInteger("invalid"), a.encode());
            }
            assertEquals(1, gw.count("select count(*) from suppressions where number = '+33612345602' and reason = "
                    + "'3 consecutive permanent hard bounces, last no-route at the send' and created_by = 'gateway'"));
            assertEquals(Boolean.TRUE, hardBounceOf("+33612345602").getBoolean("countsTowardSuppression"));
            assertEquals(1, gw.count("select count(*) from suppressions where number = 'not a number 2' and reason "
                    + "like '3 consecutive permanent hard bounces, last invalid-number at the send'"));
            // Each suppression is reported to the webhooks like one from a carrier's bounces, written with it.
            assertEquals(1, gw.count("select count(*) from webhook_events where type = 'number.suppressed' "
                    + "and number = '+33612345602' and cause = 'hard-bounces'"));
            assertEquals(1, gw.count("select count(*) from webhook_events where type = 'number.suppressed' "
                    + "and number = 'not a number 2' and cause = 'hard-bounces'"));

            // Suppressed now: skipped, not filed as one more Hard bounce.
            long hardBefore = gw.count("select count(*) from messages where campaign_id = " + campaign
                    + " and tab = 'hard-bounces'");
            JsonObject a = send(List.of("+447700900702", "+33612345602", "not a number 2"));
            assertEquals(0, a.getInteger("invalid"), a.encode());
            assertEquals(2, a.getInteger("skipped"), a.encode());
            assertEquals(1, a.getInteger("queued"), a.encode());
            assertEquals(hardBefore, gw.count("select count(*) from messages where campaign_id = " + campaign
                    + " and tab = 'hard-bounces'"));

            // A contact listed as written can be taken off the list again.
            HttpResponse<String> d = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/suppressions/"
                    + URLEncoder.encode("not a number 2", StandardCharsets.UTF_8).replace("+", "%20")))
                    .header("Authorization", "Bearer " + GatewayHarness.API_KEY).DELETE());
            assertEquals(200, d.statusCode(), d.body());
            assertEquals(0, gw.count("select count(*) from suppressions where number = 'not a number 2'"));
        } finally {
            gw.put("/api/v1/settings", new JsonObject().put("countInvalidNumbers", false).encode());
            try (var c = gw.db().database().dataSource().getConnection(); var st = c.createStatement()) {
                st.executeUpdate("delete from suppressions; delete from bounce_counts");
            }
        }
    }

    static JsonObject send(List<String> contacts) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", new JsonArray(contacts)).put("sentBy", "ana").encode());
        assertEquals(202, r.statusCode(), r.body());
        return new JsonObject(r.body());
    }

    static JsonObject settings() throws Exception {
        return new JsonObject(gw.get("/api/v1/settings").body());
    }
}
