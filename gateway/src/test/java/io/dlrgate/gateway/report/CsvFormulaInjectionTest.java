package io.dlrgate.gateway.report;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CSV formula injection through the real HTTP exports: campaign names, "last modified by" and single-send
 * content that a spreadsheet would run as formulas come out with a leading {@code '}; the numbers stay E.164.
 */
class CsvFormulaInjectionTest {

    static final List<String> PAYLOADS = List.of("=HYPERLINK(\"http://evil.example/\",\"click\")", "@SUM(1+1)",
            "+1+1", "-2+3");
    static GatewayHarness gw;
    static long firstCampaign;

    @BeforeAll
    static void seed() throws Exception {
        // The carrier never binds: messages stay pending, which is all the exports need.
        gw = GatewayHarness.start("""
                carriers:
                  - {id: acme, system_id: acme, password: acme-pw, prefixes: ["+44"]}
                """);
        int n = 0;
        for (String p : PAYLOADS) {
            HttpResponse<String> r = gw.post("/api/v1/campaigns", new JsonObject().put("name", p)
                    .put("content", "hello").put("createdBy", "qa").encode());
            assertEquals(201, r.statusCode(), r.body());
            long id = new JsonObject(r.body()).getLong("id");
            assertEquals(200, gw.put("/api/v1/campaigns/" + id, new JsonObject().put("modifiedBy", p).encode())
                    .statusCode());
            if (n == 0) {
                firstCampaign = id;
                assertEquals(202, gw.post("/api/v1/campaigns/" + id + "/sends", new JsonObject()
                        .put("contacts", new JsonArray().add("+447700900001")).put("sentBy", "qa").encode())
                        .statusCode());
            }
            r = gw.post("/api/v1/messages", new JsonObject().put("to", "+44770090010" + n++).put("content", p)
                    .put("source", "api").encode());
            assertEquals(202, r.statusCode(), r.body());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> gw.count("select count(*) from messages") == 5);
    }

    @AfterAll
    static void down() {
        gw.close();
    }

    static String csv(String path) throws Exception {
        HttpResponse<String> r = gw.get(path);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
        return r.body();
    }

    /** The cell as RFC 4180 writes it: quoted (quotes doubled) when it holds a comma or a quote. */
    static String cell(String text) {
        return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    @Test
    void campaignNamesAndLastModifiedByAreNeutralised() throws Exception {
        String body = csv("/api/v1/campaigns?format=csv&sort=name");
        for (String p : PAYLOADS) {
            String quoted = cell("'" + p);
            assertTrue(body.contains("," + quoted + "," + quoted + ","), p + " not neutralised in:\n" + body);
        }
    }

    @Test
    void singleSendContentIsNeutralisedAndNumbersStayE164() throws Exception {
        String body = csv("/api/v1/single-sends?format=csv");
        for (int n = 0; n < PAYLOADS.size(); n++) {
            String p = PAYLOADS.get(n);
            assertTrue(body.contains(",+44770090010" + n + ",GB,"), "number not E.164 as is in:\n" + body);
            assertTrue(body.contains("," + cell("'" + p) + ","), p + " not neutralised in:\n" + body);
        }
    }

    @Test
    void tabExportKeepsTheNumberAsE164() throws Exception {
        String body = csv("/api/v1/campaigns/" + firstCampaign + "/report/pending?format=csv");
        String[] lines = body.split("\r\n");
        assertEquals(2, lines.length, body);
        assertTrue(lines[1].startsWith("+447700900001,GB,pending,"), lines[1]);
    }
}
