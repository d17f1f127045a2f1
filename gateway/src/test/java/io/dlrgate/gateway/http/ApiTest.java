package io.dlrgate.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.reporting.suppression.SuppressionStore;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The HTTP API's contract: access, validation with named fields, nothing half-written, suppression. */
class ApiTest {

    static GatewayHarness gw;

    @BeforeAll
    static void up() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: alpha, system_id: alpha, password: alpha-pw, prefixes: ["+44"]}
                  - {id: beta, system_id: beta, password: beta-pw, prefixes: ["+33"]}
                """);
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    static JsonObject body(HttpResponse<String> r) {
        return new JsonObject(r.body());
    }

    static void assertBadRequest(HttpResponse<String> r, String field) {
        assertEquals(400, r.statusCode(), r.body());
        JsonObject b = body(r);
        assertEquals(field, b.getString("field"), r.body());
        assertTrue(b.getString("error").startsWith(field + ": "), r.body());
    }

    long campaign(String name) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns",
                new JsonObject().put("name", name).put("content", "hello").put("createdBy", "ana").encode());
        assertEquals(201, r.statusCode(), r.body());
        return body(r).getLong("id");
    }

    @Test
    void missingOrWrongKeyIs401AndHealthIsPublic() throws Exception {
        HttpResponse<String> none = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/campaigns")).GET());
        assertEquals(401, none.statusCode());
        assertTrue(none.headers().firstValue("WWW-Authenticate").isPresent());
        HttpResponse<String> wrong = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/campaigns"))
                .header("Authorization", "Bearer not-the-key").GET());
        assertEquals(401, wrong.statusCode());
        HttpResponse<String> basic = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/campaigns"))
                .header("Authorization", "Basic " + GatewayHarness.API_KEY).GET());
        assertEquals(401, basic.statusCode());
        assertEquals(200, gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/health")).GET()).statusCode());
        assertEquals(200, gw.get("/api/v1/campaigns").statusCode());
    }

    HttpResponse<String> postAs(String path, String contentType, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(gw.baseUrl() + path))
                .header("Authorization", "Bearer " + GatewayHarness.API_KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        return gw.send(contentType == null ? b : b.header("Content-Type", contentType));
    }

    @Test
    void bodiesThatAreNotDeclaredJsonAre415() throws Exception {
        String json = new JsonObject().put("name", "typed").put("content", "x").put("createdBy", "ana").encode();
        for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; "
                + "boundary=x", null}) {
            HttpResponse<String> r = postAs("/api/v1/campaigns", type, json);
            assertEquals(415, r.statusCode(), type + ": " + r.body());
            assertTrue(body(r).getString("error").contains("application/json"), r.body());
        }
        assertEquals(415, postAs("/api/v1/login", "text/plain", "{\"name\":\"a\",\"password\":\"b\"}").statusCode());
        assertEquals(201, postAs("/api/v1/campaigns", "application/json; charset=utf-8", json).statusCode());
        assertEquals(0, gw.count("select count(*) from campaigns where name = 'typed'") - 1,
                "only the JSON one was created");
        assertEquals(200, postAs("/api/v1/logout", null, "").statusCode(), "a request without a body needs no type");
    }

    @Test
    void valuesTheStoreCannotHoldAreRefusedNamingTheFieldAndUploadsAreNeverKept() throws Exception {
        // An indexed name of thousands of characters was a 503 carrying PostgreSQL's "index row size" text.
        assertBadRequest(gw.post("/api/v1/campaigns", new JsonObject().put("name", "n".repeat(3_000))
                .put("content", "x").put("createdBy", "ana").encode()), "name");
        // Two values for one key: the last was taken silently (here: another country, another carrier).
        assertBadRequest(gw.post("/api/v1/messages",
                "{\"to\":\"+447700900123\",\"to\":\"+33612345678\",\"content\":\"dup\"}"), "to");
        // A lone surrogate was stored as '?' without a word.
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+447700900123\",\"content\":\"hi \\ud83d\"}"), "content");
        // A year the store cannot compare against was a 503 "timestamp out of range".
        assertBadRequest(gw.get("/api/v1/single-sends?to=%2B300000-01-01T00:00:00Z"), "to");
        assertBadRequest(gw.get("/api/v1/single-sends?from=-10000-01-01T00:00:00Z"), "from");
        // A multipart body was saved under ./file-uploads and kept, even when the request was refused.
        java.nio.file.Path uploads = java.nio.file.Path.of("file-uploads");
        long before = filesIn(uploads);
        String boundary = "dlrgate-test-boundary";
        String multipart = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"f\"; filename=\"a.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "z".repeat(100_000) + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> r = gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/messages"))
                .header("Authorization", "Bearer " + GatewayHarness.API_KEY)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(multipart)));
        assertEquals(415, r.statusCode(), r.body()); // not JSON: refused before anything reads the body
        assertEquals(before, filesIn(uploads), "no uploaded file is kept");
    }

    static long filesIn(java.nio.file.Path dir) throws Exception {
        if (!java.nio.file.Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = java.nio.file.Files.list(dir)) {
            return files.count();
        }
    }

    @Test
    void invalidSingleSendsNameTheField() throws Exception {
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+44abc\",\"content\":\"x\"}"), "to");
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+44 1\",\"content\":\"x\"}"), "to");
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+447700900123\"}"), "content");
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":12,\"content\":\"x\"}"), "to");
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+447700900123\",\"content\":\"x\",\"source\":\"fax\"}"), "source");
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+447700900123\",\"content\":\"x\",\"validity\":\"2 days\"}"), "validity");
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+4915112345678\",\"content\":\"x\"}"), "to");
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+447700900123\",\"content\":\"" + "x".repeat(1601) + "\"}"), "content");
        // PostgreSQL text cannot hold U+0000: named as a bad field, never a 500 from the store.
        assertBadRequest(gw.post("/api/v1/messages", "{\"to\":\"+447700900123\",\"content\":\"a\\u0000b\"}"), "content");
        assertBadRequest(gw.post("/api/v1/campaigns", "{\"name\":\"a\\u0000b\",\"content\":\"x\",\"createdBy\":\"ana\"}"), "name");
        long nulCampaign = campaign("nul check");
        assertBadRequest(gw.post("/api/v1/campaigns/" + nulCampaign + "/sends",
                "{\"contacts\":[\"+447700900001\",\"+4477009\\u000000002\"],\"sentBy\":\"ana\"}"), "contacts[1]");
        HttpResponse<String> notJson = gw.post("/api/v1/messages", "{to: nope");
        assertEquals(400, notJson.statusCode());
        assertTrue(body(notJson).getString("error").contains("not valid JSON"), notJson.body());
        assertEquals(400, gw.post("/api/v1/messages", "[1,2]").statusCode());
        assertEquals(0, gw.count("select count(*) from messages where recipient like '+4477009001%' or recipient like '+49%'"),
                "nothing written by rejected requests");
    }

    @Test
    void aSingleSendIsNormalisedRoutedAndQueued() throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/messages",
                "{\"to\":\"0033 6 12 34 56 78\",\"content\":\"bonjour\",\"source\":\"ui\",\"validity\":\"PT10M\"}");
        assertEquals(202, r.statusCode(), r.body());
        JsonObject b = body(r);
        assertEquals("+33612345678", b.getString("to"));
        assertEquals("FR", b.getString("country"));
        assertEquals("beta", b.getString("carrier"));
        JsonObject m = body(gw.get("/api/v1/messages/" + b.getLong("id")));
        assertEquals("ui", m.getString("source"));
        assertEquals("pending", m.getString("tab"));
        assertEquals("queued", m.getString("dispatchState"));
        java.time.Duration validity = java.time.Duration.between(java.time.Instant.parse(m.getString("createdAt")),
                java.time.Instant.parse(m.getString("validityDeadline")));
        assertTrue(validity.toSeconds() >= 599 && validity.toSeconds() <= 601, "10 minute validity, got " + validity);
    }

    @Test
    void aMalformedCampaignSendIsRefusedAsAWholeAndWritesNothing() throws Exception {
        long id = campaign("all or nothing");
        // A contact no store can hold is a malformed request (an invalid number is a Hard bounce: InvalidNumbersTest).
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + id + "/sends", new JsonObject()
                .put("contacts", new JsonArray(List.of("+447700900001", "+447700900002", "+44\u00007700900003")))
                .put("sentBy", "ana").encode());
        assertBadRequest(r, "contacts[2]");
        assertEquals(0, gw.count("select count(*) from messages where campaign_id = " + id));
        assertEquals(0, gw.count("select count(*) from campaign_sends where campaign_id = " + id));
        assertBadRequest(gw.post("/api/v1/campaigns/" + id + "/sends", "{\"contacts\":[],\"sentBy\":\"ana\"}"), "contacts");
        assertBadRequest(gw.post("/api/v1/campaigns/" + id + "/sends", "{\"contacts\":\"+447700900001\",\"sentBy\":\"ana\"}"), "contacts");
        assertBadRequest(gw.post("/api/v1/campaigns/" + id + "/sends", "{\"contacts\":[\"+447700900001\"]}"), "sentBy");
    }

    @Test
    void suppressedNumbersAreSkippedAndCountedDuplicatesSentOnce() throws Exception {
        SuppressionStore suppressions = new SuppressionStore(gw.db().database().dataSource(), Clock.systemUTC());
        assertTrue(suppressions.add("+447700900666", "test", "qa"));
        HttpResponse<String> single = gw.post("/api/v1/messages", "{\"to\":\"+447700900666\",\"content\":\"x\"}");
        assertEquals(200, single.statusCode(), single.body());
        assertEquals("skipped", body(single).getString("status"));
        assertEquals(1, body(single).getInteger("skipped"));

        long id = campaign("with a suppressed contact");
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + id + "/sends", new JsonObject()
                .put("contacts", new JsonArray(List.of("+447700900601", "+44 7700 900601", "+447700900666", "+447700900602")))
                .put("sentBy", "ana").encode());
        assertEquals(202, r.statusCode(), r.body());
        JsonObject b = body(r);
        assertEquals(4, b.getInteger("requested"));
        assertEquals(2, b.getInteger("queued"));
        assertEquals(1, b.getInteger("skipped"));
        assertEquals(1, b.getInteger("duplicates"));
        assertEquals(new JsonArray(List.of("+447700900666")), b.getJsonArray("suppressed"));
        assertEquals(2, gw.count("select count(*) from messages where campaign_id = " + id));
        assertEquals(0, gw.count("select count(*) from messages where recipient = '+447700900666'"));

        assertTrue(suppressions.remove("+447700900666"));
        assertEquals(202, gw.post("/api/v1/messages", "{\"to\":\"+447700900666\",\"content\":\"x\"}").statusCode());
    }

    @Test
    void campaignsCanBeEditedAndUnknownIdsAre404() throws Exception {
        long id = campaign("before");
        HttpResponse<String> r = gw.put("/api/v1/campaigns/" + id, "{\"name\":\"after\",\"modifiedBy\":\"bob\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("after", body(r).getString("name"));
        assertEquals("bob", body(r).getString("lastModifiedBy"));
        assertEquals("ana", body(r).getString("createdBy"));
        assertEquals("hello", body(r).getString("content"));
        assertBadRequest(gw.put("/api/v1/campaigns/" + id, "{\"name\":\"x\"}"), "modifiedBy");
        assertEquals(404, gw.put("/api/v1/campaigns/999999", "{\"modifiedBy\":\"bob\"}").statusCode());
        assertEquals(404, gw.get("/api/v1/campaigns/999999").statusCode());
        assertEquals(404, gw.get("/api/v1/messages/999999").statusCode());
        assertEquals(404, gw.post("/api/v1/campaigns/999999/sends", "{\"contacts\":[\"+447700900001\"],\"sentBy\":\"a\"}").statusCode());
        assertBadRequest(gw.get("/api/v1/messages/abc"), "id");
        assertEquals(404, gw.get("/api/v1/nothing-here").statusCode());
    }

    @Test
    void reportCountsEveryTabAndRejectsUnknownTabs() throws Exception {
        long id = campaign("report");
        gw.post("/api/v1/campaigns/" + id + "/sends", new JsonObject()
                .put("contacts", new JsonArray(List.of("+447700900701", "+33612345701"))).put("sentBy", "ana").encode());
        JsonObject tabs = body(gw.get("/api/v1/campaigns/" + id + "/report")).getJsonObject("tabs");
        assertEquals(2L, tabs.getLong("pending"));
        for (String t : List.of("delivered", "soft-bounces", "hard-bounces", "deleted")) {
            assertEquals(0L, tabs.getLong(t), t);
        }
        JsonObject page = body(gw.get("/api/v1/campaigns/" + id + "/report/pending?limit=1"));
        assertEquals(1, page.getJsonArray("items").size());
        String next = page.getString("next");
        JsonObject page2 = body(gw.get(next.substring(next.indexOf("/api"))));
        assertEquals(1, page2.getJsonArray("items").size());
        assertNotEquals(page.getJsonArray("items").getJsonObject(0).getString("number"),
                page2.getJsonArray("items").getJsonObject(0).getString("number"));
        assertBadRequest(gw.get("/api/v1/campaigns/" + id + "/report/bounced"), "tab");
        assertBadRequest(gw.get("/api/v1/campaigns/" + id + "/report/pending?limit=0"), "limit");
    }
}
