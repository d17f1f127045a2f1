package io.dlrgate.gateway.send;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.dlrgate.reporting.counters.ReportCounters;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A list with numbers that are not mobile numbers, or that no carrier takes, through the real HTTP API, dispatcher
 * and SMPP carrier on a real PostgreSQL: the valid numbers are queued and sent, the others are filed at once as Hard
 * bounces with their cause and reason, counted in the tabs and the final-outcomes metric like any hard bounce.
 */
class InvalidNumbersTest {

    static final Duration WAIT = Duration.ofSeconds(30);
    static GatewayHarness gw;
    static TestCarrier acme;

    @BeforeAll
    static void start() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """);
        acme = TestCarrier.to(gw.smppPort()).systemId("acme").password("acme-pw").bindType(BindType.TRANSCEIVER)
                .onSubmit(s -> TestCarrier.SubmitAnswer.ok("acme-" + s.getDestAddress().getAddress())).bind();
    }

    @AfterAll
    static void stop() {
        if (acme != null) {
            acme.close();
        }
        gw.close();
    }

    @Test
    void oneInvalidNumberInATenNumberListIsAHardBounceAndTheOtherNineAreSent() throws Exception {
        long campaign = campaign("Ten numbers");
        List<String> contacts = new ArrayList<>();
        for (int i = 1; i <= 8; i++) {
            contacts.add("+44770090030" + i);
        }
        contacts.add("07700 900309");      // national format, read in GB
        contacts.add("not a number");
        double before = finalizedMetric("invalid-number");
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", new JsonArray(contacts)).put("sentBy", "ana").put("defaultCountry", "GB").encode());
        assertEquals(202, r.statusCode(), r.body());
        JsonObject answer = new JsonObject(r.body());
        assertEquals(10, answer.getInteger("requested"));
        assertEquals(9, answer.getInteger("queued"));
        assertEquals(1, answer.getInteger("invalid"));
        JsonObject invalid = answer.getJsonArray("invalidNumbers").getJsonObject(0);
        assertEquals("not a number", invalid.getString("number"));
        assertEquals("invalid-number", invalid.getString("cause"));
        assertTrue(invalid.getString("reason").contains("is not a phone number"), invalid.encode());

        await().atMost(WAIT).until(() -> gw.count("select count(*) from messages where campaign_id = " + campaign
                + " and dispatch_state = 'submitted'") == 9);
        assertEquals(1, gw.count("select count(*) from messages where campaign_id = " + campaign
                + " and recipient = '+447700900309'"), "the national number is sent in E.164");

        JsonObject report = getJson("/api/v1/campaigns/" + campaign + "/report");
        assertEquals(10, report.getLong("sent"), report.encode());
        assertEquals(1, report.getJsonObject("tabs").getLong("hard-bounces"));
        assertEquals(9, report.getJsonObject("tabs").getLong("pending"));
        JsonObject row = getJson("/api/v1/campaigns/" + campaign + "/report/hard-bounces")
                .getJsonArray("items").getJsonObject(0);
        assertEquals("not a number", row.getString("number"));
        assertEquals("invalid-number", row.getString("cause"));
        assertEquals(invalid.getString("reason"), row.getString("error"));
        assertCountersMatchARecount();
        assertEquals(before + 1, finalizedMetric("invalid-number"), 0.0, "tests share the gateway: the increase");
    }

    @Test
    void aNumberNoCarrierTakesIsAHardBounceWithCauseNoRoute() throws Exception {
        long campaign = campaign("Abroad");
        double before = finalizedMetric("no-route");
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", new JsonArray(List.of("+447700900401", "+33612345678"))).put("sentBy", "ana").encode());
        assertEquals(202, r.statusCode(), r.body());
        JsonObject invalid = new JsonObject(r.body()).getJsonArray("invalidNumbers").getJsonObject(0);
        assertEquals("+33612345678", invalid.getString("number"));
        assertEquals("no-route", invalid.getString("cause"));
        JsonObject row = getJson("/api/v1/campaigns/" + campaign + "/report/hard-bounces")
                .getJsonArray("items").getJsonObject(0);
        assertEquals("no-route", row.getString("cause"));
        assertEquals("FR", row.getString("country"));
        assertCountersMatchARecount();
        assertEquals(before + 1, finalizedMetric("no-route"), 0.0, "tests share the gateway: the increase");
    }

    @Test
    void aNationalNumberWithoutACountrySaysSoInPlainWords() throws Exception {
        long campaign = campaign("No country");
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", new JsonArray(List.of("+447700900501", "07700 900502"))).put("sentBy", "ana").encode());
        assertEquals(202, r.statusCode(), r.body());
        String reason = new JsonObject(r.body()).getJsonArray("invalidNumbers").getJsonObject(0).getString("reason");
        assertEquals("'07700 900502' is in national format (it starts with 0) and no country was given: write it "
                + "with its country code (+44 7700 900123) or send a defaultCountry", reason);
    }

    @Test
    void aMalformedRequestIsStillRefusedAsAWhole() throws Exception {
        long campaign = campaign("Malformed");
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + campaign + "/sends", new JsonObject()
                .put("contacts", new JsonArray(List.of("+447700900601"))).put("sentBy", "ana")
                .put("defaultCountry", "XX").encode());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("defaultCountry", new JsonObject(r.body()).getString("field"), r.body());
        assertEquals(0, gw.count("select count(*) from messages where campaign_id = " + campaign));
    }

    static void assertCountersMatchARecount() throws Exception {
        try (Connection c = gw.db().database().dataSource().getConnection()) {
            Map<Long, Map<io.dlrgate.config.Tab, Long>> kept = ReportCounters.read(c);
            c.setAutoCommit(false);
            ReportCounters.rebuild(c);
            Map<Long, Map<io.dlrgate.config.Tab, Long>> recounted = ReportCounters.read(c);
            c.rollback();
            assertEquals(recounted, kept, "the maintained counters equal a recount from the messages");
        }
    }

    static double finalizedMetric(String cause) throws Exception {
        String body = gw.get("/metrics").body();
        for (String line : body.split("\n")) {
            if (line.startsWith("dlrgate_messages_finalized_total{") && line.contains("cause=\"" + cause + "\"")
                    && line.contains("tab=\"hard-bounces\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return 0;
    }

    static long campaign(String name) throws Exception {
        HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", name)
                .put("content", "Hello from " + name).put("createdBy", "ana").encode());
        assertEquals(201, r.statusCode(), r.body());
        return new JsonObject(r.body()).getLong("id");
    }

    static JsonObject getJson(String path) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(200, r.statusCode(), path + " -> " + r.body());
        return new JsonObject(r.body());
    }
}
