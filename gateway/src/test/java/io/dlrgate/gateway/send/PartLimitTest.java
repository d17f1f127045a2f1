package io.dlrgate.gateway.send;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dlrgate.gateway.testing.GatewayHarness;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** dispatch.max_parts at the send API: a single send or a campaign needing more parts is a 400 naming its length. */
class PartLimitTest {

    static final String CONFIG = """
            dispatch:
              max_parts: 2
            carriers:
              - {id: uk, system_id: uk, password: uk-secret, prefixes: ["+44"]}
              - {id: fr, system_id: fr, password: fr-secret, prefixes: ["+33"], udh_reference: 16}
            """;

    GatewayHarness gw;

    @BeforeEach
    void start() throws Exception {
        gw = GatewayHarness.start(CONFIG);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    HttpResponse<String> single(String to, String content) throws Exception {
        return gw.post("/api/v1/messages", new JsonObject().put("to", to).put("content", content).encode());
    }

    @Test
    void singleSendOverMaxPartsIsRefusedNamingItsLength() throws Exception {
        assertEquals(202, single("+447700900001", "a".repeat(306)).statusCode()); // 2 x 153
        HttpResponse<String> r = single("+447700900002", "a".repeat(307));
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("307 GSM-7 septets"), r.body());
        assertTrue(r.body().contains("needs 3 parts; at most 2"), r.body());
        // fr's 16-bit reference leaves 152 septets a part: 306 needs three there
        HttpResponse<String> beta = single("+33612345678", "a".repeat(306));
        assertEquals(400, beta.statusCode(), beta.body());
        // UCS-2: 2 x 67
        assertEquals(202, single("+447700900003", "\u0416".repeat(134)).statusCode());
        HttpResponse<String> ucs = single("+447700900004", "\u0416".repeat(135));
        assertEquals(400, ucs.statusCode());
        assertTrue(ucs.body().contains("135 UCS-2 characters"), ucs.body());
        assertEquals(2, gw.count("select count(*) from messages"));
    }

    @Test
    void campaignOverMaxPartsIsRefusedWithNothingQueued() throws Exception {
        HttpResponse<String> c = gw.post("/api/v1/campaigns", new JsonObject().put("name", "long")
                .put("content", "b".repeat(400)).put("createdBy", "qa").encode());
        assertEquals(201, c.statusCode(), c.body());
        long id = new JsonObject(c.body()).getLong("id");
        HttpResponse<String> r = gw.post("/api/v1/campaigns/" + id + "/sends",
                new JsonObject().put("contacts", new JsonArray().add("+447700900001").add("+447700900002")).put("sentBy", "qa").encode());
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.body().contains("400 GSM-7 septets"), r.body());
        assertEquals(0, gw.count("select count(*) from messages"));
    }
}
