package io.dlrgate.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.cloudhopper.smpp.SmppConstants;
import com.cloudhopper.smpp.impl.DefaultSmppSession;
import io.dlrgate.config.BindType;
import io.dlrgate.gateway.testing.GatewayHarness;
import io.dlrgate.gateway.testing.TestCarrier;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/carriers} against a gateway with a carrier bound over loopback and one never bound. */
class CarriersApiTest {

    static final Duration WAIT = Duration.ofSeconds(30);

    GatewayHarness gw;
    TestCarrier alpha;

    @AfterEach
    void tearDown() {
        if (alpha != null) {
            alpha.close();
        }
        if (gw != null) {
            gw.close();
        }
    }

    JsonObject carrier(String id) throws Exception {
        HttpResponse<String> r = gw.get("/api/v1/carriers");
        assertEquals(200, r.statusCode(), r.body());
        JsonArray all = new JsonObject(r.body()).getJsonArray("carriers");
        assertEquals(2, all.size(), "every configured carrier, bound or not");
        for (int i = 0; i < all.size(); i++) {
            if (id.equals(all.getJsonObject(i).getString("id"))) {
                return all.getJsonObject(i);
            }
        }
        throw new AssertionError("no carrier " + id + " in " + r.body());
    }

    @Test
    void showsEachCarriersBindsRatesAndLastMinute() throws Exception {
        gw = GatewayHarness.start("""
                carriers:
                  - id: alpha
                    system_id: alpha
                    password: alpha-pw
                    prefixes: ["+44", "+353"]
                    window_size: 30
                    max_submit_rate: 250
                  - id: idle
                    system_id: idle
                    password: idle-pw
                    prefixes: ["+49"]
                """);
        assertEquals(401, gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/v1/carriers")).GET())
                .statusCode(), "the same authentication as the rest of the API");

        Instant beforeBind = Instant.now();
        alpha = TestCarrier.to(gw.smppPort()).systemId("alpha").password("alpha-pw").bindType(BindType.TRANSCEIVER)
                .bind();
        for (int i = 0; i < 3; i++) {
            long id = gw.sendSingle("+44770090000" + i, "hello", null);
            await().atMost(WAIT).until(() -> "submitted".equals(new JsonObject(gw.get("/api/v1/messages/" + id).body())
                    .getString("dispatchState")));
            String carrierId = new JsonObject(gw.get("/api/v1/messages/" + id).body()).getString("carrierMessageId");
            assertEquals(SmppConstants.STATUS_OK, alpha.sendDeliverSm(TestCarrier.receipt("id:" + carrierId
                    + " sub:001 dlvrd:001 submit date:2401011200 done date:2401011205 stat:DELIVRD err:000 text:x"))
                    .getCommandStatus());
        }

        JsonObject a = carrier("alpha");
        assertEquals(new JsonArray().add("+44").add("+353"), a.getJsonArray("prefixes"));
        assertEquals(30, a.getInteger("windowSize"));
        assertEquals(250, a.getInteger("maxSubmitRate"));
        assertEquals(250.0, a.getDouble("effectiveSubmitRate"));
        assertTrue(a.getBoolean("inbound"));
        assertFalse(a.getBoolean("outbound"));
        assertTrue(a.getBoolean("bound"));
        assertNull(a.getString("downSince"));
        assertEquals(3, a.getLong("submitsLastMinute"), a.encode());
        assertEquals(3, a.getLong("receiptsLastMinute"), a.encode());
        assertEquals(0.05, a.getDouble("submitsPerSecond"), "3 in the last 60 s");
        JsonArray sessions = a.getJsonArray("sessions");
        assertEquals(1, sessions.size(), a.encode());
        JsonObject s = sessions.getJsonObject(0);
        assertEquals("in", s.getString("direction"));
        assertEquals("transceiver", s.getString("bindType"));
        InetSocketAddress local = (InetSocketAddress) ((DefaultSmppSession) alpha.session()).getChannel().localAddress();
        assertEquals("127.0.0.1:" + local.getPort(), s.getString("remoteAddress"), "the carrier's end of the TCP");
        Instant up = Instant.parse(s.getString("upSince"));
        assertFalse(up.isBefore(beforeBind.minusSeconds(1)), "up since the bind: " + up);
        assertEquals(0, s.getInteger("windowInUse"));
        assertEquals(30, s.getInteger("windowSize"));

        JsonObject idle = carrier("idle");
        assertFalse(idle.getBoolean("bound"));
        assertEquals(0, idle.getJsonArray("sessions").size());
        assertNull(idle.getString("downSince"), "never bound: no 'down since'");
        assertEquals(0, idle.getLong("submitsLastMinute"));

        alpha.close();
        alpha = null;
        await().atMost(WAIT).until(() -> !carrier("alpha").getBoolean("bound"));
        assertNotNull(carrier("alpha").getString("downSince"), "down since the unbind");
    }
}
